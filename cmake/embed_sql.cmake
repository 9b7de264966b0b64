# Writes a C++ source defining streamscope::db::embedded_migrations() from the migration
# files. Run as: cmake -DOUTPUT=<file.cpp> -DFILES=<a.sql;b.sql> -P embed_sql.cmake
# File names must start with their four-digit version: 0001_init.sql.
set(entries "")
set(bodies "")
set(index 0)
foreach(file IN LISTS FILES)
  get_filename_component(name "${file}" NAME)
  if(NOT name MATCHES "^([0-9][0-9][0-9][0-9])_.*\\.sql$")
    message(FATAL_ERROR "migration file name must look like 0001_name.sql: ${name}")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ "${file}" sql)
  string(FIND "${sql}" ")streamscope_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${name} contains the embedding delimiter")
  endif()
  string(APPEND bodies "constexpr char sql_${index}[] = R\"streamscope_sql(${sql})streamscope_sql\";\n")
  string(APPEND entries "    {${version}, \"${name}\", sql_${index}},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from sql/ by cmake/embed_sql.cmake: do not edit.
#include \"common/db/migrate.hpp\"

namespace streamscope::db {
namespace {
${bodies}
constexpr migration all[] = {
${entries}};
} // namespace

std::span<const migration> embedded_migrations() { return all; }

} // namespace streamscope::db
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
