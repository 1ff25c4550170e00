"""Card terminals integrated with the till: the device side of the payments slice (DESIGN.md §10).

Owns Adyen's local Terminal API behind the `PaymentTerminal` port of pos_app/ports.py:

- `nexo_crypto`: the shared-key protection of every message (PBKDF2 key material, AES-256-CBC,
  HMAC-SHA256, the NexoBlob envelope), as Adyen's own libraries do it;
- `nexo_messages`: the Terminal API requests (payment, abort, transaction status, reversal,
  referenced refund) and the mapping of the terminal's answers onto `TerminalResult`;
- `terminal_settings`: one terminal's settings (address, POIID, shared key, CA file, SaleID,
  timeouts) with clear errors for the manager who sets it up;
- `adyen_terminal`: `AdyenTerminal`, HTTPS to the terminal with the certificate checked
  against the configured CA and the POIID before anything is sent;
- `cmdline`: `pos-app terminal-test`, the installer's one-payment check.

Invariants of §3 it carries: no card data — a terminal's answer is reduced to "**** 1234",
an approval code, a reference and the slip lines, and no more than the last four digits of a
card number is kept, logged or printed; a lost or untrusted answer is UNKNOWN, resolved by
asking `status(intent_id)` (the terminal's transaction is named by the durable payment
intent's id), never by paying again; the passphrase is never shown, logged or put in a repr.
"""
