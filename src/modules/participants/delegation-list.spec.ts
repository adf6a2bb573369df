import { attachment, neutraliseFormula } from './delegation-list.js';

describe('attachment', () => {
  it('names an ASCII title by its slug alone', () => {
    expect(
      attachment('Delegationsreise Zentralasien: Usbekistan/Kasachstan', 'participants.csv'),
    ).toBe(
      'attachment; filename="delegationsreise-zentralasien-usbekistan-kasachstan-participants.csv"',
    );
  });

  it('adds a UTF-8 filename* that keeps umlauts and ß', () => {
    expect(attachment('Geschäftsreise Südkorea: Straßenbau', 'participants.xlsx')).toBe(
      'attachment; filename="geschaftsreise-sudkorea-strassenbau-participants.xlsx"; ' +
        "filename*=UTF-8''gesch%C3%A4ftsreise-s%C3%BCdkorea-stra%C3%9Fenbau-participants.xlsx",
    );
  });

  it('names a title in another script by its own letters, and the ASCII name by the suffix alone', () => {
    expect(attachment('Алматы Форум', 'participants.csv')).toBe(
      'attachment; filename="participants.csv"; ' +
        "filename*=UTF-8''%D0%B0%D0%BB%D0%BC%D0%B0%D1%82%D1%8B-%D1%84%D0%BE%D1%80%D1%83%D0%BC-participants.csv",
    );
    expect(attachment('Agency', 'participants.csv')).toBe(
      'attachment; filename="agency-participants.csv"',
    );
  });

  it('leaves nothing in filename* that RFC 5987 forbids, and adds none for punctuation alone', () => {
    const header = attachment("Kyiv's Tech (Week) – Україна*", 'participants.csv');
    const encoded = header.split("filename*=UTF-8''")[1];
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect(decodeURIComponent(encoded)).toBe('kyiv-s-tech-week-україна-participants.csv');
    expect(attachment('Tech Week – Berlin', 'participants.csv')).toBe(
      'attachment; filename="tech-week-berlin-participants.csv"',
    );
  });
});

describe('neutraliseFormula', () => {
  it.each(['=1+1', '+49 361', '-2', '@SUM(A1)', '\tx', '\rx'])(
    'prefixes %j with an apostrophe',
    (text) => {
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    },
  );

  it('leaves other text alone', () => {
    expect(neutraliseFormula('Vogel-Meier')).toBe('Vogel-Meier');
  });
});
