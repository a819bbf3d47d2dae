# Helpers that give every layer the same shape: sources are the folder's *.cc files, tests are the
# folder's *_test.cc files (one test binary per library), fuzz targets are *_fuzz.cc.

set(FULCRUM_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wimplicit-fallthrough)
if(FULCRUM_WERROR)
  list(APPEND FULCRUM_WARNINGS -Werror)
endif()

# fulcrum_library(<name> [DIRS <subdir>...] [DEPS <target>...])
# Builds fulcrum_<name> from the *.cc files of this folder (and of DIRS), tests excluded.
function(fulcrum_library name)
  cmake_parse_arguments(ARG "" "" "DIRS;DEPS" ${ARGN})
  set(globs "${CMAKE_CURRENT_SOURCE_DIR}/*.cc")
  foreach(dir IN LISTS ARG_DIRS)
    list(APPEND globs "${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cc")
  endforeach()
  file(GLOB sources CONFIGURE_DEPENDS ${globs})
  list(FILTER sources EXCLUDE REGEX "_(test|fuzz)\\.cc$")
  if(NOT sources)
    # A layer with headers only.
    add_library(fulcrum_${name} INTERFACE)
    target_include_directories(fulcrum_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_include_directories(fulcrum_${name} SYSTEM INTERFACE ${TL_EXPECTED_INCLUDE_DIR})
    target_link_libraries(fulcrum_${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(fulcrum_${name} STATIC ${sources})
  target_include_directories(fulcrum_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_include_directories(fulcrum_${name} SYSTEM PUBLIC ${TL_EXPECTED_INCLUDE_DIR})
  target_compile_options(fulcrum_${name} PRIVATE ${FULCRUM_WARNINGS})
  target_link_libraries(fulcrum_${name} PUBLIC ${ARG_DEPS})
endfunction()

# fulcrum_tests(<name> [DIRS <subdir>...] [DEPS <target>...])
# Builds fulcrum_<name>_test from this folder's *_test.cc files and registers each test with CTest.
function(fulcrum_tests name)
  if(NOT FULCRUM_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "DIRS;DEPS" ${ARGN})
  set(globs "${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc")
  foreach(dir IN LISTS ARG_DIRS)
    list(APPEND globs "${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*_test.cc")
  endforeach()
  file(GLOB sources CONFIGURE_DEPENDS ${globs})
  if(NOT sources)
    return()
  endif()
  add_executable(fulcrum_${name}_test ${sources})
  target_compile_options(fulcrum_${name}_test PRIVATE ${FULCRUM_WARNINGS})
  target_compile_definitions(fulcrum_${name}_test PRIVATE
      FULCRUM_TESTDATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
  target_link_libraries(fulcrum_${name}_test PRIVATE fulcrum_${name} ${ARG_DEPS}
      GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(fulcrum_${name}_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()
