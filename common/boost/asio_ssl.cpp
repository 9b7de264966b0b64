// Boost.Asio SSL compiled once for the whole project (BOOST_ASIO_SEPARATE_COMPILATION).
#include <boost/asio/ssl/impl/src.hpp>
