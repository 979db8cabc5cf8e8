import { SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import { formatAmount, Payment } from "./payment";

/**
 * The receipt email. Sent through the configuration set so bounces, complaints and deliveries
 * reach the event destinations, and tagged with the payment id so each event names its payment.
 */
export function receiptEmail(payment: Payment, from: { fromAddress: string; configurationSet: string }): SendEmailCommandInput {
    const amount = formatAmount(payment);
    const lines = [
        "Thank you for your payment.",
        "",
        `Amount:    ${amount}`,
        `Payment:   ${payment.paymentId}`,
        ...(payment.merchantReference !== undefined ? [`Reference: ${payment.merchantReference}`] : []),
        `Date:      ${payment.createdAt}`,
        "",
        "Keep this email as your receipt.",
    ];
    return {
        FromEmailAddress: from.fromAddress,
        Destination: { ToAddresses: [payment.customerEmail] },
        ConfigurationSetName: from.configurationSet,
        EmailTags: [{ Name: "payment_id", Value: payment.paymentId }],
        Content: {
            Simple: {
                Subject: { Data: `Your payment receipt: ${amount}`, Charset: "UTF-8" },
                Body: { Text: { Data: lines.join("\n"), Charset: "UTF-8" } },
            },
        },
    };
}
