// Failed Boost assertions in the sanitizer build (the only one that has them, with
// BOOST_ENABLE_ASSERT_DEBUG_HANDLER): abort as assert() does, except for assertions that are
// known to be wrong in the Boost we build with, Debian 12's 1.81, which continue as they do in
// a release build.

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <boost/assert.hpp>

namespace {

struct known_wrong_assertion {
    std::string_view file_ends_with;
    std::string_view expression;
};

// Beast's parser asserts that a final chunk's header has 5 bytes when it returns to one that
// arrived with 4 ("0\r\n" and then "\r"), and then handles it right: boostorg/beast#2861, fixed
// in Boost 1.86. A client that sends a chunked body a byte at a time would stop the server.
constexpr known_wrong_assertion known_wrong[] = {
    {"boost/beast/http/impl/basic_parser.ipp", "n >= 5"},
};

bool is_known_wrong(std::string_view file, std::string_view expression) {
    for (const auto& known : known_wrong) {
        if (file.ends_with(known.file_ends_with) && expression == known.expression) {
            return true;
        }
    }
    return false;
}

[[noreturn]] void fail(const char* expression, const char* message, const char* function,
                       const char* file, long line) {
    std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed%s%s\n", file, line, function,
                 expression, message ? ": " : ".", message ? message : "");
    std::abort();
}

} // namespace

namespace boost {

void assertion_failed(const char* expression, const char* function, const char* file, long line) {
    if (!is_known_wrong(file, expression)) {
        fail(expression, nullptr, function, file, line);
    }
}

void assertion_failed_msg(const char* expression, const char* message, const char* function,
                          const char* file, long line) {
    if (!is_known_wrong(file, expression)) {
        fail(expression, message, function, file, line);
    }
}

} // namespace boost
