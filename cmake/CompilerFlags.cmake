# Strict warnings for every target, and the optional sanitizer build.
add_compile_options(-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
                    -Wformat=2 -Wno-unused-parameter)
# Warnings as errors (POSTCARD_WERROR): on in the project's own builds (every `make` target, CI),
# off by default so that people building from source with another compiler version, and
# distribution packagers, are not stopped by a warning that compiler adds.
if(POSTCARD_WERROR)
  add_compile_options(-Werror)
endif()
add_compile_definitions(_POSIX_C_SOURCE=200809L)

if(ENABLE_SANITIZERS)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(BUILD_FUZZERS AND NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "BUILD_FUZZERS=ON needs clang: configure with -DCMAKE_C_COMPILER=clang")
endif()

# Fuzzer builds: everything gets libFuzzer's coverage instrumentation and ASan+UBSan; only the
# fuzz targets link libFuzzer's main (tests/fuzz/CMakeLists.txt).
if(BUILD_FUZZERS)
  # -fno-sanitize-recover: undefined behaviour stops the run like any other finding
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
