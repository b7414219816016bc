-- A finding's message as the rules' catalog key and its arguments (JSON,
-- each argument with its kind: checks.Msg.ArgsJSON), so that a run swept
-- in one language can be shown in another. message stays the English text.
-- Empty in runs stored before: those show message as stored.
ALTER TABLE findings ADD COLUMN message_key TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN message_args TEXT NOT NULL DEFAULT '';
