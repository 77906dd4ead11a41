-- Why an operator revived an agent (the dashboard asks for it; kept until the next revive) and who did it.
ALTER TABLE agents
    ADD COLUMN revived_by    text,
    ADD COLUMN revive_reason text CHECK (char_length(revive_reason) <= 4096 AND has_text(revive_reason));
