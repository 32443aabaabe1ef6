import bcrypt from 'bcryptjs';

const ROUNDS = 10;
/** Compared against when the user does not exist, so a wrong username costs as long as a wrong password. */
const decoyHash = bcrypt.hashSync('decoy-password-never-matches', ROUNDS);

export const hashPassword = (plain: string): Promise<string> => bcrypt.hash(plain, ROUNDS);

export const verifyPassword = (plain: string, hash: string | null | undefined): Promise<boolean> => bcrypt.compare(plain, hash ?? decoyHash);
