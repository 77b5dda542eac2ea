-- SPDX-License-Identifier: GPL-2.0-or-later
-- wrk script for bench/server_load.sh: GET /search for each query of the
-- file in $QUERIES (one per line), in turn; counts non-200 answers.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if #line > 0 then table.insert(queries, line) end
end
local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local n = 0
request = function()
  n = n + 1
  local q = queries[(n % #queries) + 1]
  return wrk.format("GET", "/search?q=" .. encode(q) .. "&limit=10")
end
