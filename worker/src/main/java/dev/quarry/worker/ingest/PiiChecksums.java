package dev.quarry.worker.ingest;

import java.math.BigInteger;

/**
 * The checksums that tell real card numbers and IBANs from numbers that only look like them: without them,
 * every long product code or reference number in a document would be scrubbed and lost to search.
 */
final class PiiChecksums {
    private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

    private PiiChecksums() {
    }

    /** The Luhn check of payment cards, over the digits only (spaces and dashes are skipped). */
    static boolean passesLuhn(String candidate) {
        int sum = 0;
        int digits = 0;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') continue;
            int d = c - '0';
            if (digits++ % 2 == 1) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }

    /**
     * A card number: Luhn, and an issuer digit of 2 to 6 (Mastercard, Amex and Diners, Visa, Mastercard,
     * Discover). The issuer check keeps 13-digit ISBNs (978…, 979…) that happen to pass Luhn.
     */
    static boolean isCardNumber(String candidate) {
        char first = candidate.charAt(0);
        return first >= '2' && first <= '6' && passesLuhn(candidate);
    }

    /** ISO 13616: country code, check digits, then the account; moved and read as a number, it is 1 mod 97. */
    static boolean isIban(String candidate) {
        String iban = candidate.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34) return false;
        String moved = iban.substring(4) + iban.substring(0, 4);
        StringBuilder digits = new StringBuilder(moved.length() * 2);
        for (char c : moved.toCharArray()) {
            if (c >= '0' && c <= '9') digits.append(c);
            else if (c >= 'A' && c <= 'Z') digits.append(c - 'A' + 10);
            else return false;
        }
        return new BigInteger(digits.toString()).mod(NINETY_SEVEN).intValue() == 1;
    }

    /** Four dotted parts, each 0 to 255: the pattern finds the shape, this rejects 300.1.1.1. */
    static boolean isIpv4(String candidate) {
        for (String part : candidate.split("\\.")) {
            if (part.length() > 3 || Integer.parseInt(part) > 255) return false;
        }
        return true;
    }

    /** Whether a candidate holds at least one digit: an identifier next to its label always does. */
    static boolean hasDigit(String candidate) {
        return candidate.chars().anyMatch(Character::isDigit);
    }
}
