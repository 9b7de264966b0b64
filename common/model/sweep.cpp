#include "common/model/sweep.hpp"

namespace streamscope::model {

std::string_view to_string(sweep_status s) {
    switch (s) {
    case sweep_status::complete:
        return "complete";
    case sweep_status::partial:
        return "partial";
    case sweep_status::failed:
        return "failed";
    }
    return "unknown";
}

} // namespace streamscope::model
