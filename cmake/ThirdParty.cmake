# Third-party libraries come from the cache ($RUNTIMEJS_CACHE, default ~/.cache/runtimejs),
# built on first use by cmake/thirdparty/*.sh. A warm cache makes this instant.

set(RUNTIMEJS_CACHE "$ENV{RUNTIMEJS_CACHE}")
if(NOT RUNTIMEJS_CACHE)
  set(RUNTIMEJS_CACHE "$ENV{HOME}/.cache/runtimejs")
endif()

# thirdparty_build(NAME VAR): runs cmake/thirdparty/NAME.sh, which prints the cache folder.
function(thirdparty_build name var)
  message(STATUS "Third-party ${name}: checking the cache (a cold build shows its progress here)")
  # Two configures at once must not build into the same work folder.
  file(MAKE_DIRECTORY "${RUNTIMEJS_CACHE}/locks")
  file(LOCK "${RUNTIMEJS_CACHE}/locks/${name}.lock" GUARD FUNCTION TIMEOUT 7200)
  execute_process(
    COMMAND bash ${CMAKE_SOURCE_DIR}/cmake/thirdparty/${name}.sh
    OUTPUT_VARIABLE dir OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "third-party ${name} build failed (see the message above)")
  endif()
  message(STATUS "Third-party ${name}: ${dir}")
  set(${var} "${dir}" PARENT_SCOPE)
  # Re-run configure when the recipe or scripts change (a new key).
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
    ${CMAKE_SOURCE_DIR}/cmake/thirdparty/${name}.sh
    ${CMAKE_SOURCE_DIR}/cmake/thirdparty/${name}.recipe
    ${CMAKE_SOURCE_DIR}/cmake/thirdparty/common.sh)
endfunction()

option(RUNTIMEJS_V8 "Build and use V8 (off only to work on the rest while V8 compiles)" ON)

thirdparty_build(newlib NEWLIB_DIR)
if(RUNTIMEJS_V8)
  thirdparty_build(v8 V8_DIR)
endif()
