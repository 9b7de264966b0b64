# Writes a C++ source defining streamscope::db::embedded_migrations() and embedded_repeatables()
# from the SQL files. Run as:
#   cmake -DOUTPUT=<file.cpp> -DSQL_DIR=<sql/> -DMIGRATIONS=<a.sql;b.sql>
#         -DEARLIER=<a.sql=sha256;...> -DREPEATABLES=<functions/f.sql;...> -P embed_sql.cmake
# Migration file names must start with their four-digit version: 0001_init.sql. Repeatables
# are named by their path under SQL_DIR. EARLIER lists checksums of migrations' earlier texts.
function(read_sql file out_var)
  file(READ "${file}" sql)
  string(FIND "${sql}" ")streamscope_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains the embedding delimiter")
  endif()
  set(${out_var} "${sql}" PARENT_SCOPE)
endfunction()

foreach(entry IN LISTS EARLIER)
  set(sum_length 0)
  if(entry MATCHES "^[^=]+=([0-9a-f]+)$")
    string(LENGTH "${CMAKE_MATCH_1}" sum_length)
  endif()
  if(NOT sum_length EQUAL 64)
    message(FATAL_ERROR "an earlier checksum must look like 0001_init.sql=<64 hex digits>: ${entry}")
  endif()
endforeach()

set(migration_names "")

set(bodies "")
set(migration_entries "")
set(index 0)
foreach(file IN LISTS MIGRATIONS)
  get_filename_component(name "${file}" NAME)
  if(NOT name MATCHES "^([0-9][0-9][0-9][0-9])_.*\\.sql$")
    message(FATAL_ERROR "migration file name must look like 0001_name.sql: ${name}")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  list(APPEND migration_names "${name}")
  read_sql("${file}" sql)
  set(earlier "")
  foreach(entry IN LISTS EARLIER)
    string(REPLACE "=" ";" pair "${entry}")
    list(GET pair 0 earlier_name)
    list(GET pair 1 earlier_sum)
    if(earlier_name STREQUAL name)
      string(APPEND earlier "\"${earlier_sum}\", ")
    endif()
  endforeach()
  string(APPEND bodies "constexpr char sql_${index}[] = R\"streamscope_sql(${sql})streamscope_sql\";\n")
  if(earlier STREQUAL "")
    string(APPEND migration_entries "    {${version}, \"${name}\", sql_${index}, {}},\n")
  else()
    string(APPEND bodies "constexpr std::string_view earlier_${index}[] = {${earlier}};\n")
    string(APPEND migration_entries
           "    {${version}, \"${name}\", sql_${index}, earlier_${index}},\n")
  endif()
  math(EXPR index "${index} + 1")
endforeach()
foreach(entry IN LISTS EARLIER)
  string(REGEX REPLACE "=.*" "" name "${entry}")
  list(FIND migration_names "${name}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "an earlier checksum names no migration of the list: ${entry}")
  endif()
endforeach()

set(repeatable_entries "")
foreach(file IN LISTS REPEATABLES)
  file(RELATIVE_PATH name "${SQL_DIR}" "${file}")
  if(name MATCHES "^\\.\\./" OR NOT name MATCHES "\\.sql$")
    message(FATAL_ERROR "a repeatable must be a .sql file under ${SQL_DIR}: ${file}")
  endif()
  read_sql("${file}" sql)
  string(APPEND bodies "constexpr char sql_${index}[] = R\"streamscope_sql(${sql})streamscope_sql\";\n")
  string(APPEND repeatable_entries "    {\"${name}\", sql_${index}},\n")
  math(EXPR index "${index} + 1")
endforeach()

# C++ has no empty arrays.
if(repeatable_entries STREQUAL "")
  set(repeatables_array "")
  set(repeatables_span "{}")
else()
  set(repeatables_array "\nconstexpr repeatable repeatables[] = {\n${repeatable_entries}};\n")
  set(repeatables_span "repeatables")
endif()

file(WRITE "${OUTPUT}.tmp" "// Generated from sql/ by cmake/embed_sql.cmake: do not edit.
#include \"common/db/migrate.hpp\"

namespace streamscope::db {
namespace {
${bodies}
constexpr migration migrations[] = {
${migration_entries}};

${repeatables_array}} // namespace

std::span<const migration> embedded_migrations() { return migrations; }

std::span<const repeatable> embedded_repeatables() { return ${repeatables_span}; }

} // namespace streamscope::db
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
