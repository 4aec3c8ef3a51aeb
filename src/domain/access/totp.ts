// The TOTP second factor (RFC 6238, 30-second steps, 6 digits) through otplib. A code is accepted
// one step either side (clock drift), and never twice: the last accepted step is stored.
import { generate, generateSecret, generateURI, verify } from 'otplib';

export const newTotpSecret = () => generateSecret();

export const totpUri = (secret: string, account: string) =>
  generateURI({ issuer: 'Isoloir', label: account, secret });

/** The time step the code belongs to, or undefined when it is not valid now. */
export async function matchTotp(
  secret: string,
  code: string,
  now: Date,
): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: 30,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** For tests and the CLI's own checks: the code an authenticator shows at `now`. */
export const totpCode = (secret: string, now: Date) =>
  generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
