/**
 * The simulated WhatsApp user of the sandbox phone: a Brazilian mobile number and a name,
 * remembered in this browser so the same "person" comes back after a reload.
 */

export type SimulatedUser = { phone: string; name: string };

export const simulatedUserStorageKey = 'recado.sandbox.user';

/** Brazilian area codes (DDD) in use. */
const areaCodes = [
  11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43,
  44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77,
  79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
] as const;

const firstNames = [
  'Ana',
  'Bruno',
  'Camila',
  'Diego',
  'Fernanda',
  'Gabriel',
  'Helena',
  'Igor',
  'Juliana',
  'Lucas',
  'Mariana',
  'Rafael',
  'Sofia',
  'Thiago',
] as const;
const lastNames = [
  'Almeida',
  'Barbosa',
  'Carvalho',
  'Costa',
  'Ferreira',
  'Gomes',
  'Lima',
  'Oliveira',
  'Pereira',
  'Ribeiro',
  'Santos',
  'Souza',
] as const;

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function digit(random: () => number, from = 0): string {
  return String(from + Math.floor(random() * (10 - from)));
}

/**
 * A random valid Brazilian mobile in E.164: `+55`, an area code in use, then `9`, a digit
 * from 6 to 9 (ranges assigned to mobiles) and seven more digits.
 */
export function randomBrazilianMobile(random: () => number = Math.random): string {
  const rest = Array.from({ length: 7 }, () => digit(random)).join('');
  return `+55${pick(areaCodes, random)}9${digit(random, 6)}${rest}`;
}

export function randomSimulatedUser(random: () => number = Math.random): SimulatedUser {
  return {
    phone: randomBrazilianMobile(random),
    name: `${pick(firstNames, random)} ${pick(lastNames, random)}`,
  };
}

/** "+5511987654321" → "+55 11 98765-4321"; other numbers are returned as given. */
export function formatPhone(phone: string): string {
  const brazilian = /^\+55(\d{2})(\d{4,5})(\d{4})$/.exec(phone);
  if (brazilian) return `+55 ${brazilian[1]} ${brazilian[2]}-${brazilian[3]}`;
  return phone;
}

type UserStorage = Pick<Storage, 'getItem' | 'setItem'>;

function isSimulatedUser(value: unknown): value is SimulatedUser {
  if (!value || typeof value !== 'object') return false;
  const { phone, name } = value as Record<string, unknown>;
  return typeof phone === 'string' && /^\+\d{8,15}$/.test(phone) && typeof name === 'string';
}

/** The remembered user, or a new random one (remembered from now on). */
export function loadSimulatedUser(
  storage: UserStorage,
  random: () => number = Math.random,
): SimulatedUser {
  try {
    const stored: unknown = JSON.parse(storage.getItem(simulatedUserStorageKey) ?? 'null');
    if (isSimulatedUser(stored)) return stored;
  } catch {
    // Unreadable or unavailable storage: start with a new user.
  }
  const user = randomSimulatedUser(random);
  saveSimulatedUser(storage, user);
  return user;
}

export function saveSimulatedUser(storage: UserStorage, user: SimulatedUser): void {
  try {
    storage.setItem(simulatedUserStorageKey, JSON.stringify(user));
  } catch {
    // Without storage the user lasts for this page only.
  }
}
