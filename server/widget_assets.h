// SPDX-License-Identifier: GPL-2.0-or-later
// The search widget's files (server/www/), compiled into the library so an
// installed clinsearch serves them without a data folder. Generated at
// configure time by cmake/EmbedAssets.cmake.
#ifndef CLINSEARCH_SERVER_WIDGET_ASSETS_H_
#define CLINSEARCH_SERVER_WIDGET_ASSETS_H_

#include <string_view>
#include <vector>

namespace clinsearch {

struct WidgetAsset {
  const char* path;  // URL path: "/", "/widget.js", "/widget.css"
  const char* content_type;
  std::string_view body;
};

const std::vector<WidgetAsset>& WidgetAssets();

}  // namespace clinsearch

#endif  // CLINSEARCH_SERVER_WIDGET_ASSETS_H_
