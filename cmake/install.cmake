# cmake --install: headers, libraries, the CLI, a CMake package (find_package(glyph) ->
# glyph::glyph, glyph::serve, glyph::eval, ...) and a pkg-config file for the core.
include(CMakePackageConfigHelpers)

install(DIRECTORY include/glyph DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS ${GLYPH_INSTALL_TARGETS} EXPORT glyphTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET glyph_cli)
  install(TARGETS glyph_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(TARGET glyph_http)  # the HTTP module the client opens on its first request
  install(TARGETS glyph_http LIBRARY DESTINATION ${GLYPH_HTTP_MODULE_DIR})
endif()

set(GLYPH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/glyph)
install(EXPORT glyphTargets NAMESPACE glyph:: DESTINATION ${GLYPH_CMAKE_DIR})
# The package config finds what the static libraries link, for the products this build has.
set(GLYPH_PACKAGE_SERVE ${GLYPH_BUILD_SERVE})
configure_package_config_file(cmake/glyphConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/glyphConfig.cmake
                              INSTALL_DESTINATION ${GLYPH_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/glyphConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/glyphConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/glyphConfigVersion.cmake
        DESTINATION ${GLYPH_CMAKE_DIR})

configure_file(cmake/glyph.pc.in ${CMAKE_CURRENT_BINARY_DIR}/glyph.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/glyph.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
