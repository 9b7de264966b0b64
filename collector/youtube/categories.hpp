#pragma once
// YouTube's video categories (snippet.categoryId) by name: the sweep model's "game" for a
// YouTube stream. The list is fixed and small; asking videoCategories.list for it would cost a
// unit of quota for what never changes.

#include <string_view>

namespace streamscope::youtube {

// The category's English name; "" for an id YouTube does not assign to videos any more.
std::string_view category_name(std::string_view category_id);

} // namespace streamscope::youtube
