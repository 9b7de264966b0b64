#include "common/model/event.hpp"

#include <algorithm>

namespace streamscope::model {

bool is_event_type(std::string_view name) {
    return std::find(event_types.begin(), event_types.end(), name) != event_types.end();
}

} // namespace streamscope::model
