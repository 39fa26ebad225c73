-- Gmail ignores dots in the local part and googlemail.com is gmail.com: mailboxKey (lib/email/address.ts) now folds
-- them, so suppression-list entries kept before are re-keyed to match. A row whose folded key already exists stays as
-- it was (the folded row already suppresses that mailbox).
UPDATE OR IGNORE `email_suppressions`
SET `mailbox` = replace(substr(`mailbox`, 1, instr(`mailbox`, '@') - 1), '.', '') || '@gmail.com'
WHERE `mailbox` LIKE '%@gmail.com' OR `mailbox` LIKE '%@googlemail.com';
