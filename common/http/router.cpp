#include "common/http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace streamscope::http {
namespace {

using boost::beast::http::verb;

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// The segments between the slashes of "/a/b" ({"a", "b"}); none for "/". Still encoded.
std::optional<std::vector<std::string_view>> split_path(std::string_view path) {
    if (path.empty() || path.front() != '/') {
        return std::nullopt;
    }
    path.remove_prefix(1);
    std::vector<std::string_view> segments;
    if (path.empty()) {
        return segments;
    }
    for (;;) {
        const auto slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) {
            return segments;
        }
        path.remove_prefix(slash + 1);
    }
}

// Of two routes that both fit a path, true when `a` is the more specific: at the first segment
// where one has a literal and the other a parameter, `a` has the literal.
template <typename Segments>
bool more_specific(const Segments& a, const Segments& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (a[i].parameter != b[i].parameter) {
            return !a[i].parameter;
        }
    }
    return false;
}

} // namespace

std::string method_list(const std::vector<verb>& methods) {
    std::string out;
    for (const verb m : methods) {
        if (!out.empty()) {
            out += ", ";
        }
        out += boost::beast::http::to_string(m);
    }
    return out;
}

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (text.size() - i < 3) {
            return std::nullopt;
        }
        const int high = hex_value(text[i + 1]);
        const int low = hex_value(text[i + 2]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

void router::add(verb method, std::string pattern, handler h) {
    const auto fail = [&](std::string_view why) {
        throw std::invalid_argument("route " + std::string(boost::beast::http::to_string(method)) +
                                    " " + pattern + ": " + std::string(why));
    };
    const auto parts = split_path(pattern);
    if (!parts) {
        fail("a pattern starts with '/'");
    }
    route r{method, pattern, {}, std::move(h)};
    for (const std::string_view part : *parts) {
        if (part.empty()) {
            fail("empty segment");
        }
        const bool parameter = part.front() == '{' && part.back() == '}';
        const std::string_view text = parameter ? part.substr(1, part.size() - 2) : part;
        if (text.empty() || text.find_first_of("{}") != std::string_view::npos) {
            fail("a parameter is a whole segment: {name}");
        }
        if (parameter && std::any_of(r.segments.begin(), r.segments.end(), [&](const segment& s) {
                return s.parameter && s.text == text;
            })) {
            fail("parameter named twice");
        }
        r.segments.push_back({std::string(text), parameter});
    }
    for (const route& other : routes_) {
        const bool same_shape =
            other.method == method &&
            std::equal(other.segments.begin(), other.segments.end(), r.segments.begin(),
                       r.segments.end(), [](const segment& a, const segment& b) {
                           return a.parameter == b.parameter && (a.parameter || a.text == b.text);
                       });
        if (same_shape) {
            fail("it repeats " + other.pattern);
        }
    }
    if (!r.target) {
        fail("no handler");
    }
    routes_.push_back(std::move(r));
}

router::match_result router::match(verb method, std::string_view raw_path) const {
    match_result out;
    const auto encoded = split_path(raw_path);
    if (!encoded) {
        return out;
    }
    std::vector<std::string> decoded;
    decoded.reserve(encoded->size());
    for (const std::string_view part : *encoded) {
        auto text = percent_decode(part);
        if (!text) {
            return out; // not a path any route could have
        }
        decoded.push_back(std::move(*text));
    }

    std::vector<const route*> fitting;
    for (const route& r : routes_) {
        if (r.segments.size() != decoded.size()) {
            continue;
        }
        bool fits = true;
        for (std::size_t i = 0; i < decoded.size() && fits; ++i) {
            const segment& s = r.segments[i];
            // A parameter takes any value but the empty one: "/channels/twitch/" names no login.
            fits = s.parameter ? !decoded[i].empty() : s.text == decoded[i];
        }
        if (fits) {
            fitting.push_back(&r);
        }
    }
    if (fitting.empty()) {
        return out;
    }

    const auto best_for = [&](verb m) {
        const route* best = nullptr;
        for (const route* r : fitting) {
            if (r->method == m && (!best || more_specific(r->segments, best->segments))) {
                best = r;
            }
        }
        return best;
    };
    const route* chosen = best_for(method);
    if (!chosen && method == verb::head) {
        chosen = best_for(verb::get);
    }
    if (chosen) {
        out.result = outcome::found;
        out.target = &chosen->target;
        out.pattern = chosen->pattern;
        for (std::size_t i = 0; i < decoded.size(); ++i) {
            if (chosen->segments[i].parameter) {
                out.params.emplace(chosen->segments[i].text, std::move(decoded[i]));
            }
        }
        return out;
    }

    out.result = outcome::method_not_allowed;
    const route* most_specific = fitting.front();
    for (const route* r : fitting) {
        out.allowed.push_back(r->method);
        if (r->method == verb::get) {
            out.allowed.push_back(verb::head);
        }
        if (more_specific(r->segments, most_specific->segments)) {
            most_specific = r;
        }
    }
    out.pattern = most_specific->pattern;
    std::sort(out.allowed.begin(), out.allowed.end());
    out.allowed.erase(std::unique(out.allowed.begin(), out.allowed.end()), out.allowed.end());
    return out;
}

std::vector<std::pair<std::string, std::string>> router::routes() const {
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(routes_.size());
    for (const route& r : routes_) {
        out.emplace_back(std::string(boost::beast::http::to_string(r.method)), r.pattern);
    }
    return out;
}

} // namespace streamscope::http
