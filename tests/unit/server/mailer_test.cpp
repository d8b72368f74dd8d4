// The email an SMTP server receives (--smtp): headers and a body DATA cannot be cut short by.
// Delivery itself is tested end to end against aiosmtpd (tests/e2e/test_sign_up.py).
#include "server/mailer.hpp"

#include <gtest/gtest.h>

namespace
{

using cognitod::envelope_address;
using cognitod::smtp_message;
using cognitod::storage::message;

message email(std::string text, std::string subject = "Your verification code")
{
    message m;
    m.seq = 7;
    m.destination = "bob@example.com";
    m.code = "123456";
    m.text = std::move(text);
    m.subject = std::move(subject);
    m.created = 1'715'100'742'022;
    return m;
}

TEST(smtp_message, has_the_headers_and_the_body_in_crlf_lines)
{
    auto const text = smtp_message(email("Your code is 123456."), "no-reply@verificationemail.com");
    EXPECT_NE(text.find("From: no-reply@verificationemail.com\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("To: bob@example.com\r\n"), std::string::npos);
    EXPECT_NE(text.find("Subject: Your verification code\r\n"), std::string::npos);
    EXPECT_NE(text.find("Date: Tue, 07 May 2024 16:52:22 +0000\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
    EXPECT_TRUE(text.ends_with("\r\n\r\nYour code is 123456.\r\n")) << text;
}

TEST(smtp_message, doubles_a_leading_dot_so_no_line_ends_the_data)
{
    auto const text = smtp_message(email("first\n.\n..two\r\nend"), "a@b");
    EXPECT_TRUE(text.ends_with("\r\n\r\nfirst\r\n..\r\n...two\r\nend\r\n")) << text;
}

TEST(smtp_message, encodes_a_subject_that_is_not_plain_ascii)
{
    auto const text = smtp_message(email("x", "Código\r\nBcc: someone@example.com"), "a@b");
    EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos) << text;
    EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos) << text;
}

TEST(smtp_message, sends_html_as_html)
{
    auto const text = smtp_message(email("<p>Your code is <b>123456</b></p>"), "a@b");
    EXPECT_NE(text.find("Content-Type: text/html; charset=UTF-8\r\n"), std::string::npos);
}

TEST(envelope_address, takes_the_address_out_of_a_named_sender)
{
    EXPECT_EQ(envelope_address("Example App <noreply@example.com>"), "noreply@example.com");
    EXPECT_EQ(envelope_address("noreply@example.com"), "noreply@example.com");
}

} // namespace
