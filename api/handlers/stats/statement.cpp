#include "api/handlers/stats/statement.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace streamscope::api::stats {

std::string compose(std::string_view statement, std::initializer_list<clause> clauses) {
    std::vector<bool> used(clauses.size(), false);
    std::string out;
    std::size_t at = 0;
    for (;;) {
        const std::size_t open = statement.find('{', at);
        out.append(statement.substr(at, open - at));
        if (open == std::string_view::npos) {
            break;
        }
        const std::size_t close = statement.find('}', open);
        if (close == std::string_view::npos) {
            throw std::logic_error("stats statement: a '{' without its '}'");
        }
        const std::string_view hole = statement.substr(open + 1, close - open - 1);
        const auto filled = std::find_if(clauses.begin(), clauses.end(),
                                         [&](const clause& c) { return c.hole == hole; });
        if (filled == clauses.end()) {
            throw std::logic_error("stats statement: no clause for {" + std::string(hole) + "}");
        }
        out.append(filled->text);
        used[static_cast<std::size_t>(filled - clauses.begin())] = true;
        at = close + 1;
    }
    for (std::size_t i = 0; i < used.size(); ++i) {
        if (!used[i]) {
            throw std::logic_error("stats statement: no hole {" +
                                   std::string(clauses.begin()[i].hole) + "}");
        }
    }
    return out;
}

} // namespace streamscope::api::stats
