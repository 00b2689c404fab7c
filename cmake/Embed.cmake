# postcard_embed(<target> <symbol> BASE <dir> FILES <file>...)
# Compiles the files into <target> as a sorted table `const struct embed_file <symbol>[]` plus
# `const size_t <symbol>_count` (declare them with EMBED_DECLARE from author/util/embed.h). Each file
# is named by its path relative to BASE. Files are absolute paths (use a CONFIGURE_DEPENDS glob).
add_executable(postcard_embedgen ${CMAKE_CURRENT_LIST_DIR}/embed.c)

function(postcard_embed target symbol)
  cmake_parse_arguments(E "" "BASE" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embed_${symbol}.c)
  add_custom_command(
    OUTPUT ${out}
    COMMAND postcard_embedgen ${out} ${symbol} ${E_BASE} ${E_FILES}
    DEPENDS postcard_embedgen ${E_FILES}
    COMMENT "Embedding ${symbol}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/author/util)
endfunction()
