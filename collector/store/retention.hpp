#pragma once
// How long the database keeps what the collector stores.

namespace streamscope::collector {

// Days of each kind of data to keep; 0: for ever.
struct retention_settings {
    int raw_days = 0;
    int rollup_days = 0;
};

} // namespace streamscope::collector
