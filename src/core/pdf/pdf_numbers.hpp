// Numbers as they travel through the reference's PDF: reportlab prints them with
// fp_str, poppler reads the decimals back digit by digit. Glyph positions depend on both.
#pragma once
#include <string>

namespace glyph::pdf {

std::string pdf_format(double v);        // reportlab's fp_str
double pdf_parse(const std::string& s);  // poppler's lexer
inline double through_pdf(double v) { return pdf_parse(pdf_format(v)); }

}  // namespace glyph::pdf
