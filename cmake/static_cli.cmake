# The glyph executable carries FreeType, fontconfig, libdeflate, ICU and the C++ runtime inside
# it instead of loading them at every start: each shared library costs this machine ~1 ms of
# dynamic loading (mappings, relocations, page faults) per process, and every `glyph render` is
# a process (`glyph --version`: 12.3 ms with them shared, 6.5 ms static). Libraries, tests and
# the Python extension keep the shared ones. Off under sanitizers, and where an archive is
# missing (the build says which and links the shared libraries).
option(GLYPH_STATIC_CLI "Link the glyph executable's FreeType, fontconfig, libdeflate, ICU and libstdc++ statically" ON)

# Each PkgConfig::DEP target links its static archives into a target whose property
# GLYPH_STATIC_DEPS is true, its shared libraries into every other one.
function(glyph_use_static_archives_for target)
  if(NOT GLYPH_STATIC_CLI)
    return()
  endif()
  if(GLYPH_SANITIZE OR GLYPH_BUILD_FUZZ)
    message(STATUS "glyph executable: shared libraries (sanitizer build)")
    return()
  endif()
  set(system_libraries m pthread dl rt c stdc++)
  set(deps FREETYPE FONTCONFIG DEFLATE ICU)
  # Every archive is found before any target changes: one missing leaves them all shared.
  foreach(dep IN LISTS deps)
    set(archives_${dep})
    foreach(name IN LISTS ${dep}_STATIC_LIBRARIES)
      if(name IN_LIST system_libraries)
        list(APPEND archives_${dep} "-l${name}")
        continue()
      endif()
      find_library(GLYPH_ARCHIVE_${name} NAMES lib${name}.a HINTS ${${dep}_STATIC_LIBRARY_DIRS})
      if(NOT GLYPH_ARCHIVE_${name})
        message(STATUS "glyph executable: shared libraries (no lib${name}.a for ${dep})")
        return()
      endif()
      list(APPEND archives_${dep} ${GLYPH_ARCHIVE_${name}})
    endforeach()
    # pkg-config repeats an archive where a later one needs it again: keep the last of each.
    list(REVERSE archives_${dep})
    list(REMOVE_DUPLICATES archives_${dep})
    list(REVERSE archives_${dep})
  endforeach()
  foreach(dep IN LISTS deps)
    get_target_property(shared PkgConfig::${dep} INTERFACE_LINK_LIBRARIES)
    set_property(TARGET PkgConfig::${dep} PROPERTY INTERFACE_LINK_LIBRARIES
                 "$<IF:$<BOOL:$<TARGET_PROPERTY:GLYPH_STATIC_DEPS>>,${archives_${dep}},${shared}>")
  endforeach()
  set_property(TARGET ${target} PROPERTY GLYPH_STATIC_DEPS ON)
  target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  message(STATUS "glyph executable: FreeType, fontconfig, libdeflate, ICU and libstdc++ linked statically")
endfunction()
