// Codes and the messages that carry them: sign-up, resent and forgot-password codes, attribute
// verification, invitations. Every message goes to the outbox (GET /_cognitod/messages), and an
// email also to the mailer (--smtp) once the call has committed.
#pragma once

#include "server/operations/operations.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cognitod
{

// Where a message goes: EMAIL or SMS, the attribute it is sent to, and its value.
struct channel
{
    std::string medium;
    std::string attribute;
    std::string destination;
};

// What a message says: its purpose in the outbox, and the text (and subject) with {####} in
// place of the code and {username} of the username.
struct message_text
{
    std::string purpose;
    std::string subject;
    std::string body;
};

// How long each kind of code lasts, as AWS documents.
inline constexpr std::int64_t hour_ms = std::int64_t{3600} * 1000;
inline constexpr std::int64_t sign_up_code_ms = 24 * hour_ms;
inline constexpr std::int64_t forgot_password_code_ms = hour_ms;
inline constexpr std::int64_t attribute_code_ms = 24 * hour_ms;
// Wrong codes a code survives; the next attempt is LimitExceededException.
inline constexpr std::int64_t code_attempts = 5;

// A fresh six-digit code.
std::string new_code(request_context& ctx);

// The destination as Cognito shows it: "f***@e***", "+*******1234".
std::string masked(channel const& to);

// CodeDeliveryDetailsType: {Destination (masked), DeliveryMedium, AttributeName}.
json code_delivery_details(channel const& to);

// The channel for an attribute of the user (email → EMAIL, phone_number → SMS), if they have it.
std::optional<channel> attribute_channel(storage::user const& u, std::string_view attribute);

// Where a sign-up code goes: the phone when the pool auto-verifies phone numbers and the user has
// one, else the email when it auto-verifies emails; none when it auto-verifies neither.
std::optional<channel> sign_up_channel(storage::user_pool const& pool, storage::user const& u);

// Where a forgot-password code goes: the first of the pool's RecoveryMechanisms (by Priority) the
// user has verified. InvalidParameterException when there is none.
channel recovery_channel(storage::user_pool const& pool, storage::user const& u);

// The pool's verification message (VerificationMessageTemplate, else EmailVerificationMessage /
// SmsVerificationMessage, else AWS's default) for the medium.
message_text verification_text(storage::user_pool const& pool, std::string_view medium);

// The pool's invitation (AdminCreateUserConfig.InviteMessageTemplate, else AWS's default).
message_text invitation_text(storage::user_pool const& pool, std::string_view medium);

// Renders text for the user and puts it in the outbox; an email is also queued for the mailer.
void deliver(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    channel const& to,
    message_text const& text,
    std::string const& code
);

// A new code of purpose (SIGN_UP, FORGOT_PASSWORD, VERIFY:<attribute>) for the user, kept for
// lifetime_ms and sent through the channel with the pool's verification message. Replaces the
// user's earlier code of that purpose. Returns CodeDeliveryDetails.
json send_code(
    request_context& ctx,
    storage::user_pool const& pool,
    storage::user const& u,
    channel const& to,
    std::string const& purpose,
    std::string const& message_purpose,
    std::int64_t lifetime_ms,
    std::optional<std::string> pending_value = std::nullopt
);

// Takes the user's code of purpose if given matches it, and returns it (used: deleted).
// CodeMismatchException for a wrong code (counted: committed_error), ExpiredCodeException for an
// expired or missing one, LimitExceededException once code_attempts wrong codes were given.
storage::user_code use_code(
    request_context& ctx,
    storage::user const& u,
    std::string const& purpose,
    std::string const& given
);

} // namespace cognitod
