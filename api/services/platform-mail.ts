import type { Config } from '../../lib/config';
import { textToHtml } from '../../lib/email/render';
import { createPostmarkSender, type OutgoingEmail } from '../../lib/integrations/adapters/postmark';
import type { Logger } from '../../lib/logger';

/**
 * The platform's own account emails (not a team's): sent through the Postmark adapter with the platform's server
 * token (config.platformMail), to the Postmark sandbox outside production.
 *
 * Sends run in the background and nobody awaits them: the registration route starts them only after its answer
 * has gone, since that answer must take the same time whether it led to a confirmation, a notice to an existing
 * owner, or (notice throttled) no email at all. A failed send is logged; the person can ask again.
 */
export function createPlatformMail(deps: { config: Config; logger: Logger }) {
  const { platformMail } = deps.config;
  const sender = createPostmarkSender({
    serverToken: platformMail.serverToken,
    requestHost: platformMail.requestHost,
    useHttps: platformMail.useHttps,
    fromEmail: platformMail.fromEmail,
    messageStream: 'outbound',
    timeoutSeconds: 20,
  });
  function sendLater(email: OutgoingEmail): void {
    sender.sendEmail(email).catch((err: unknown) => {
      deps.logger.error({ err, tag: email.tag }, 'could not send a platform account email');
    });
  }

  return {
    /** The link that finishes a sign-up; the address has no account yet. */
    sendRegistrationConfirmation(to: string, link: string, validHours: number): void {
      // The name typed in the form is not repeated: anyone can make us mail any address, so the email carries
      // only our own words and the link.
      const text = [
        'Welcome to Hopflow!',
        `To finish creating your account, open this link within ${validHours} hours and press "Finish creating my account":`,
        link,
        'If you did not try to create a Hopflow account, ignore this email: nothing is created until the link is used.',
      ].join('\n\n');
      sendLater({
        to,
        subject: 'Confirm your email to finish creating your Hopflow account',
        textBody: text,
        htmlBody: textToHtml(text),
        tag: 'account-confirmation',
      });
    },

    /** Someone tried to register an address that already has an account: tell its owner instead. */
    sendAccountExistsNotice(to: string, loginUrl: string): void {
      const text = [
        'Someone just tried to create a new Hopflow account with this email address, which already has an account. No new account was created.',
        `If it was you, you already have an account: log in here:`,
        loginUrl,
        'If it was not you, you can ignore this email; your account has not changed.',
      ].join('\n\n');
      sendLater({
        to,
        subject: 'Someone tried to create a Hopflow account with your email address',
        textBody: text,
        htmlBody: textToHtml(text),
        tag: 'account-exists',
      });
    },
  };
}
