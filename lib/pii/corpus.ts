/**
 * A PII test corpus: sentences with the PII they hold (kind and exact text), and look-alikes that
 * hold none (numbers failing Luhn or the IBAN checksum, versions, dates, times, order numbers…).
 * Card numbers are issuers' published test numbers; IBANs are the registry's examples.
 */
export interface CorpusCase {
  text: string;
  pii: { kind: string; value: string }[];
}

export const TRUE_POSITIVES: CorpusCase[] = [
  { text: "Contact me at alice@example.com tomorrow.", pii: [{ kind: "email", value: "alice@example.com" }] },
  { text: "cc: bob.smith+billing@mail.example.co.uk", pii: [{ kind: "email", value: "bob.smith+billing@mail.example.co.uk" }] },
  { text: "My email is J.DOE@Company.ORG, reply there", pii: [{ kind: "email", value: "J.DOE@Company.ORG" }] },
  { text: "Card: 4111 1111 1111 1111 exp 12/29", pii: [{ kind: "card", value: "4111 1111 1111 1111" }] },
  { text: "mastercard 5555555555554444 please", pii: [{ kind: "card", value: "5555555555554444" }] },
  { text: "amex 3782-822463-10005 on file", pii: [{ kind: "card", value: "3782-822463-10005" }] },
  { text: "Visa 4012888888881881.", pii: [{ kind: "card", value: "4012888888881881" }] },
  { text: "IBAN GB82 WEST 1234 5698 7654 32 for the refund", pii: [{ kind: "iban", value: "GB82 WEST 1234 5698 7654 32" }] },
  { text: "pay to DE89370400440532013000 today", pii: [{ kind: "iban", value: "DE89370400440532013000" }] },
  { text: "Mon IBAN : FR14 2004 1010 0505 0001 3M02 606", pii: [{ kind: "iban", value: "FR14 2004 1010 0505 0001 3M02 606" }] },
  { text: "Call +1 415-555-2671 after 5", pii: [{ kind: "phone", value: "+1 415-555-2671" }] },
  { text: "office: +44 20 7946 0958", pii: [{ kind: "phone", value: "+44 20 7946 0958" }] },
  { text: "mobile +33 6 12 34 56 78 (France)", pii: [{ kind: "phone", value: "+33 6 12 34 56 78" }] },
  { text: "ring (415) 555-0132 any time", pii: [{ kind: "phone", value: "(415) 555-0132" }] },
  { text: "German line +49 30 901820", pii: [{ kind: "phone", value: "+49 30 901820" }] },
  { text: "the server at 192.168.1.20 is down", pii: [{ kind: "ip", value: "192.168.1.20" }] },
  {
    text: "resolver 8.8.8.8, fallback 1.1.1.1",
    pii: [
      { kind: "ip", value: "8.8.8.8" },
      { kind: "ip", value: "1.1.1.1" },
    ],
  },
  { text: "client 2001:db8::8a2e:370:7334 connected", pii: [{ kind: "ip", value: "2001:db8::8a2e:370:7334" }] },
  { text: "key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234 leaked", pii: [{ kind: "secret", value: "sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234" }] },
  {
    text: "token ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij in the repo",
    pii: [{ kind: "secret", value: "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij" }],
  },
  { text: "aws AKIAIOSFODNN7EXAMPLE key", pii: [{ kind: "secret", value: "AKIAIOSFODNN7EXAMPLE" }] },
  {
    text: "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok",
    pii: [{ kind: "secret", value: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" }],
  },
  { text: "Authorization: Bearer abcDEF123456ghiJKL789012mno", pii: [{ kind: "secret", value: "abcDEF123456ghiJKL789012mno" }] },
  { text: "employee EMP-204518 asked", pii: [{ kind: "custom:employee_id", value: "EMP-204518" }] },
  {
    text: "I'm ann@corp.io, card 4111-1111-1111-1111, phone +44 20 7946 0958, from 10.0.0.7",
    pii: [
      { kind: "email", value: "ann@corp.io" },
      { kind: "card", value: "4111-1111-1111-1111" },
      { kind: "phone", value: "+44 20 7946 0958" },
      { kind: "ip", value: "10.0.0.7" },
    ],
  },
];

export const LOOK_ALIKES: string[] = [
  "Card 4111 1111 1111 1112 fails its checksum",
  "order number 1234567890123456 shipped",
  "tracking 9400 1000 0000 0000 0000 00",
  "IBAN GB82 WEST 1234 5698 7654 33 has a bad checksum",
  "ref DE00370400440532013000",
  "follow @alice on social media",
  "mail root@localhost for help",
  "write to name at example dot com",
  "version 3.14.15 was released",
  "released on 2024-05-01 at 12:30:45",
  "the range 1.2.3 to 1.2.4",
  "IP-like 999.12.3.4 is not an address",
  "score 4.5.6.7.8 in the table",
  "total 1,234,567.89 USD",
  "invoice #12345 and #67890",
  "call extension 1234",
  "the sk-short prefix is fine",
  "skip-this-one and keep going",
  "AKIA alone is not a key",
  "the word Bearer token appears",
  "EMP-12 is too short",
  "ISBN 978-3-16-148410-0",
  "coordinates 48.8566, 2.3522",
  "time 10:45:30 today",
  "hash 3f786850e387550fdab836ed7e6dc881de23001b",
  "uuid 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
  "Error code 0x80070005 returned",
  "temperature 1234567 kelvin",
];
