#include <gtest/gtest.h>
TEST(placeholder, ok) { EXPECT_TRUE(true); }
