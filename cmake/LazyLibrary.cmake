# postcard_lazy_link(<target> <pkg-config prefix> <define>)
# Links the library found by pkg_check_modules(<prefix> ... IMPORTED_TARGET) into <target>'s
# consumers, lazily where that is asked for (author/util/lazylib.h says why): <target> compiles
# its stub file with <define> set to the library's SONAME, and a consumer whose property
# POSTCARD_LINK_LAZILY is ON (the `postcard` binary) gets no DT_NEEDED for the library: the stubs
# dlopen it on first use. Other consumers (tests, fuzz targets) link it as usual, the stubs in
# front. Without POSTCARD_LAZY_LIBS, or when the SONAME cannot be read, it is a plain link.
option(POSTCARD_LAZY_LIBS "Load the server-only libraries (libpq, libmicrohttpd), libzip and libcmark on first use" ON)

function(postcard_lazy_link target prefix define)
  set(pkgtarget PkgConfig::${prefix})
  set(soname "")
  if(POSTCARD_LAZY_LIBS AND CMAKE_OBJDUMP)
    list(GET ${prefix}_LINK_LIBRARIES 0 file)
    execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${file} OUTPUT_VARIABLE dump RESULT_VARIABLE rc
                    ERROR_QUIET)
    if(rc EQUAL 0 AND dump MATCHES "SONAME +([^ \n]+)")
      set(soname ${CMAKE_MATCH_1})
    endif()
  endif()
  if(soname STREQUAL "")
    target_link_libraries(${target} PUBLIC ${pkgtarget})
    return()
  endif()
  message(STATUS "${soname}: loaded on first use by postcard")
  set_property(GLOBAL APPEND PROPERTY POSTCARD_LAZY_SONAMES ${soname})
  target_compile_definitions(${target} PRIVATE ${define}="${soname}")
  target_include_directories(${target} PUBLIC
                             $<TARGET_PROPERTY:${pkgtarget},INTERFACE_INCLUDE_DIRECTORIES>)
  target_compile_options(${target} PUBLIC $<TARGET_PROPERTY:${pkgtarget},INTERFACE_COMPILE_OPTIONS>)
  # $<TARGET_PROPERTY:prop> in a link interface is the consumer's property
  target_link_libraries(${target} PUBLIC ${CMAKE_DL_LIBS}
                        "$<$<NOT:$<BOOL:$<TARGET_PROPERTY:POSTCARD_LINK_LAZILY>>>:${pkgtarget}>")
endfunction()
