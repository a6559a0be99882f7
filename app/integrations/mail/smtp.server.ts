import nodemailer from "nodemailer";

export type OutgoingMail = { to: string; subject: string; html: string; text: string };

export type Mailer = {
  send(msg: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
};

/**
 * An SMTP sender from one URL: `smtp://host:port` (plain, upgraded by STARTTLS when the server
 * offers it), `smtps://user:pass@host:465` (TLS from the start). Credentials live in the URL so
 * that a single secret, SMTP_URL, configures it.
 */
export function createMailer(opts: { url: string; from: string }): Mailer {
  const protocol = new URL(opts.url).protocol;
  if (protocol !== "smtp:" && protocol !== "smtps:") {
    // Refuse early: nodemailer would otherwise try to read a misconfigured URL as something else.
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, got ${protocol}//`);
  }
  const transport = nodemailer.createTransport(opts.url);
  return {
    async send(msg) {
      const info = await transport.sendMail({
        from: opts.from,
        to: msg.to,
        subject: msg.subject,
        html: msg.html,
        text: msg.text,
      });
      return { messageId: info.messageId };
    },
    close() {
      transport.close();
    },
  };
}
