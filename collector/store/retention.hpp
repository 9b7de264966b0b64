#pragma once
// How long the database keeps what the collector stores.

namespace streamscope::collector {

// Days of each kind of data to keep; 0: for ever. Events (the live feed's and webhooks'
// outbox) are kept for hours: how far back a feed can resume.
struct retention_settings {
    int raw_days = 0;
    int rollup_days = 0;
    int event_hours = 24;
};

} // namespace streamscope::collector
