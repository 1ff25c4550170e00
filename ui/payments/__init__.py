"""The payment screen: a page of its own beside the basket, where a cashier takes split
tenders (cash, card on the terminal, ...), sees what is still due after each one, cancels a
card while it waits, and completes the sale when nothing is due. The rules are the core's
(pos_app/payments/); the terminal's calls run on the I/O pool through `PaymentDesk`.
"""
