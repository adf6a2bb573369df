import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config.js';

export interface OutgoingMail {
  to: string;
  /** Display name shown beside MAIL_FROM, e.g. the agency's name. */
  fromName?: string;
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: string | Buffer; contentType?: string }[];
}

export interface SentMail {
  messageId: string;
  /** Where it went: the SMTP server's reply, or the .eml file written. */
  response: string;
}

/**
 * Sends mail over SMTP when SMTP_URL is set; otherwise writes each message
 * as an .eml file into MAIL_DIR so a fresh install can be tried without a
 * mail server. SMTP errors keep nodemailer's `responseCode` so callers can
 * tell temporary (4xx) from permanent (5xx) failures.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter: Transporter;

  constructor(private readonly config: AppConfig) {
    // Pooled: a worker sending a batch reuses a few open connections instead of a
    // connect, STARTTLS and AUTH per message (parameters in SMTP_URL still win).
    this.transporter = config.SMTP_URL
      ? createTransport({
          url: config.SMTP_URL,
          pool: true,
          maxConnections: config.WORKER_CONCURRENCY,
          // Well inside a sending lease (NOTIFICATION_LEASE_MS): a hung server fails the attempt.
          connectionTimeout: 30_000,
          greetingTimeout: 30_000,
          socketTimeout: 60_000,
        })
      : createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    this.transporter.on('error', this.onTransportError);
  }

  /** A pooled connection the server dropped while idle: the pool opens another when needed. */
  private readonly onTransportError = (error: Error) =>
    this.logger.warn({ err: error }, 'SMTP connection error');

  async send(mail: OutgoingMail): Promise<SentMail> {
    const info = (await this.transporter.sendMail({
      ...mail,
      from: mail.fromName
        ? { name: mail.fromName, address: this.config.MAIL_FROM }
        : this.config.MAIL_FROM,
    })) as { messageId: string; response?: string; message?: Buffer };
    if (this.config.SMTP_URL) return { messageId: info.messageId, response: info.response ?? '' };

    await mkdir(this.config.MAIL_DIR, { recursive: true });
    const name = `${new Date().toISOString().replaceAll(':', '-')}-${fileSafe(info.messageId)}.eml`;
    const file = join(this.config.MAIL_DIR, name);
    await writeFile(file, info.message ?? '');
    this.logger.log({ file }, 'mail written to file (SMTP_URL is not set)');
    // The reply is shown to the agency in the delivery log: the file's name, never the server's paths.
    return { messageId: info.messageId, response: `written to the mail folder as ${name}` };
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}

function fileSafe(messageId: string): string {
  return messageId.replace(/[^A-Za-z0-9.@-]/g, '');
}
