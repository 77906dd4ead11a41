-- Blank after trimming is empty (issue 16): a text made only of whitespace is no title, comment or reason.
-- The same rule as dev.olympus.web.StrictStrings.blank (Java's Character.isWhitespace): ASCII whitespace,
-- U+001C..U+001F, and the Unicode space, line and paragraph separators except the no-break spaces
-- (U+00A0, U+2007, U+202F). has_text is true when the value holds anything else.
CREATE FUNCTION has_text(value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT value ~ '[^\t\n\x0B\f\r\x1C-\x20\u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]'
$$;

-- The service refuses blank texts with 400 validation-failed; these keep any other writer honest.
-- NOT VALID: rows written before this rule are left as they are (new and updated rows are checked).
ALTER TABLE comments ADD CONSTRAINT comments_body_has_text CHECK (has_text(body)) NOT VALID;
ALTER TABLE tasks ADD CONSTRAINT tasks_title_has_text CHECK (has_text(title)) NOT VALID;
