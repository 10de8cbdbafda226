// Debian's librabbitmq 0.11 installs its headers at the top of /usr/include; newer releases put
// them under rabbitmq-c/. Only KoniAMQP includes this module.
#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/framing.h>
#include <rabbitmq-c/tcp_socket.h>
#else
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#endif

// amqp_login_with_properties is variadic, which Swift cannot call: this fixes the SASL method
// to PLAIN (user name and password) and the frame size to the library default.
static inline amqp_rpc_reply_t koni_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                     int heartbeat_seconds, const amqp_table_t *properties,
                                                     const char *user, const char *password) {
    return amqp_login_with_properties(state, vhost, 0, AMQP_DEFAULT_FRAME_SIZE, heartbeat_seconds, properties,
                                      AMQP_SASL_METHOD_PLAIN, user, password);
}
