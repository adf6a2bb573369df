import { readFileSync } from 'node:fs';
import { commonPasswords, passwordProblem, SortedWords } from './passwords.js';

const listed = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);

describe('the list of common passwords', () => {
  it('finds every password of the list, and refuses each as a new password', () => {
    const words = commonPasswords();
    expect(words.size).toBe(new Set(listed).size);
    expect(listed.filter((word) => !words.has(word))).toEqual([]);
    expect(listed.filter((word) => passwordProblem(word) === null)).toEqual([]);
  });

  it('finds nothing that is not on it, before, between or after its entries', () => {
    const set = new Set(listed);
    const near = listed.flatMap((word) => [word.slice(0, -1), `${word}!`, `!${word}`]);
    const misses = [...near, '', ' ', '~~~~~~~~~~~~~~', 'correct horse battery staple'].filter(
      (word) => !set.has(word),
    );
    expect(misses.length).toBeGreaterThan(listed.length * 2);
    expect(misses.filter((word) => commonPasswords().has(word))).toEqual([]);
  });

  it('accepts a long password that is not on it, whatever its case', () => {
    expect(passwordProblem('Correct Horse Battery Staple')).toBeNull();
    expect(passwordProblem('PASSWORD1234')).toMatch(/most commonly used/);
  });

  it('keeps words in order of their UTF-16 code units, duplicates once', () => {
    const words = new SortedWords(['zebra', 'Zebra', 'äpfel', 'apple', 'zebra', '']);
    expect(words.size).toBe(5);
    for (const word of ['zebra', 'Zebra', 'äpfel', 'apple', '']) expect(words.has(word)).toBe(true);
    for (const word of ['zebr', 'zebras', 'Apple', 'apfel']) expect(words.has(word)).toBe(false);
    expect(new SortedWords([]).has('')).toBe(false);
  });
});
