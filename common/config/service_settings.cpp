#include "common/config/service_settings.hpp"

namespace streamscope::config {

std::optional<service_settings> load_service_settings(const settings& s,
                                                      std::vector<std::string>& problems,
                                                      bool require_database) {
    const std::size_t before = problems.size();
    service_settings out;
    if (!require_database && !s.get("DATABASE_URL")) {
        // Not needed: left empty.
    } else if (auto url = database_url::parse(s.get("DATABASE_URL").value_or(""))) {
        out.database = *url;
    } else {
        problems.push_back(url.error().message);
    }
    if (auto level = log::parse_level(s.get("LOG_LEVEL").value_or("info"))) {
        out.log_level = *level;
    } else {
        problems.push_back(level.error().message);
    }
    if (auto fmt = log::parse_format(s.get("LOG_FORMAT").value_or("text"))) {
        out.log_format = *fmt;
    } else {
        problems.push_back(fmt.error().message);
    }
    if (problems.size() != before) {
        return std::nullopt;
    }
    return out;
}

} // namespace streamscope::config
