-- Site search (issue 14): the text of a page's blocks and its excerpt are searched too, and the snippet shows them.
-- Until now pages.search_vector held the title and the Markdown content only (migration 0003), so a word that
-- stood only in a block (a hero's heading, an FAQ answer, a feature's text) found nothing.
--
--  * pages_block_text(blocks, lang, fallback) is the readable text of a page's blocks in one language: every
--    bilingual text object ({"en": …, "de": …}) inside `blocks`, at any depth (headings, Markdown bodies, FAQ
--    questions and answers, list items, captions, alt texts, button labels), one per line, in block order (the
--    keys of one block come in jsonb's order). Ids, URLs, numbers and flags are not text objects and stay out.
--    With `fallback`, a text without `lang` is given in English, as the site shows it.
--  * The vector: title at weight A, excerpt and content at B, block text at C, each language with its own
--    configuration: English texts under `english`; German texts under `german`. A block text without German
--    is in the vector once, under `english` (where its English is); a German query still reaches it where the
--    stems agree, as it reaches an untranslated content today. ts_rank weighs A > B > C.
--  * The trigger computes the vector only when one of those columns changed (publishing, moving or sorting a
--    page no longer re-parses all its text).
--  * Backfill: every row's vector is recomputed here, with the updated_at and version triggers held off for that
--    statement, so the backfill neither moves the optimistic-locking versions nor the sitemap's lastmod; the
--    audit trigger ignores search_vector (migration 0009), so it writes no entries either.
--
-- The snippet (pages_search below) is made at query time by ts_headline from the excerpt, the content and
-- pages_block_text(…, fallback) of the 10 or so hits shown, not from a stored copy: Markdown
-- symbols are removed from the short headline in the application (microseconds) rather than from whole texts
-- in SQL (PostgreSQL's regular expressions cost about 0.15 ms per kilobyte and rule set, per hit), and no column
-- duplicates every text (nor shows up in the audit trail's diffs). pages_headline_text bounds the text
-- ts_headline parses (its cost grows with the text: about 0.1 ms a kilobyte) to a window around the first place a
-- query word appears.

CREATE OR REPLACE FUNCTION pages_block_text(blocks JSONB, lang TEXT, fallback BOOLEAN DEFAULT FALSE)
RETURNS TEXT AS $$
DECLARE
    result TEXT;
BEGIN
    -- plpgsql, not sql: its statement is planned once per session, and a page without blocks costs nothing.
    IF blocks IS NULL OR jsonb_typeof(blocks) <> 'array' OR jsonb_array_length(blocks) = 0 THEN
        RETURN '';
    END IF;
    SELECT COALESCE(string_agg(t.text, E'\n' ORDER BY t.n), '')
      INTO result
      FROM (
          SELECT CASE WHEN COALESCE(v.value ->> lang, '') <> '' THEN v.value ->> lang
                      WHEN fallback THEN v.value ->> 'en' END AS text,
                 v.n
            FROM jsonb_path_query(
                     blocks,
                     'strict $.** ? (@.type() == "object" && (@.en.type() == "string" || @.de.type() == "string"))'
                 ) WITH ORDINALITY AS v(value, n)
      ) t
     WHERE COALESCE(t.text, '') <> '';
    RETURN result;
END;
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION pages_search_vector(title JSONB, excerpt JSONB, content JSONB, blocks JSONB)
RETURNS TSVECTOR AS $$
    SELECT setweight(to_tsvector('english', COALESCE(title ->> 'en', '')), 'A') ||
           setweight(to_tsvector('english', COALESCE(excerpt ->> 'en', '') || E'\n' || COALESCE(content ->> 'en', '')), 'B') ||
           setweight(to_tsvector('english', pages_block_text(blocks, 'en')), 'C') ||
           setweight(to_tsvector('german', COALESCE(title ->> 'de', '')), 'A') ||
           setweight(to_tsvector('german', COALESCE(excerpt ->> 'de', '') || E'\n' || COALESCE(content ->> 'de', '')), 'B') ||
           setweight(to_tsvector('german', pages_block_text(blocks, 'de')), 'C')
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION update_pages_search_vector()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.title IS NOT DISTINCT FROM OLD.title
       AND NEW.excerpt IS NOT DISTINCT FROM OLD.excerpt
       AND NEW.content IS NOT DISTINCT FROM OLD.content
       AND NEW.blocks IS NOT DISTINCT FROM OLD.blocks
       AND NEW.search_vector IS NOT NULL THEN
        RETURN NEW;
    END IF;
    NEW.search_vector := pages_search_vector(NEW.title, NEW.excerpt, NEW.content, NEW.blocks);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- The words of a query to look for in a text (pages_headline_text): the lexemes of `q` (in its text form each is
-- quoted, a quote doubled) and the words typed, in lower case, two characters or more.
CREATE OR REPLACE FUNCTION pages_query_terms(q TSQUERY, typed TEXT)
RETURNS TEXT[] AS $$
    SELECT COALESCE(array_agg(DISTINCT found.term), '{}')
      FROM (
          SELECT replace(m[1], '''''', '''') AS term
            FROM regexp_matches(q::text, '''((?:[^'']|'''')+)''', 'g') AS m
          UNION ALL
          SELECT w FROM regexp_split_to_table(lower(COALESCE(typed, '')), '[[:space:]!-/:-@[-`{-~]+') AS w
      ) found
     WHERE length(found.term) >= 2
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

-- The text ts_headline reads for a hit: `doc` itself when it is at most `size` characters; otherwise `size`
-- characters from a little before the first word that begins with one of `terms` (pages_query_terms), compared
-- in lower case with punctuation as spaces (the German stem "haus" is found in "Haus", "Häuser" by the word
-- typed), or from the start when there is none. It starts after a space, so no word is cut at the front.
-- strpos, not a regular expression: this runs for every hit shown.
CREATE OR REPLACE FUNCTION pages_headline_text(doc TEXT, terms TEXT[], size INTEGER)
RETURNS TEXT AS $$
DECLARE
    low TEXT;
    term TEXT;
    at INTEGER;
    first INTEGER := 0;
    start INTEGER;
BEGIN
    IF doc IS NULL OR length(doc) <= size THEN
        RETURN doc;
    END IF;
    -- A space in front, and one for each character that can end a word: ' ' || term is found where a word
    -- starts, at the position of that word in `doc`.
    low := ' ' || translate(lower(doc), E'\n\r\t.,;:!?()[]{}<>*_#"''`|/\\+=~-', repeat(' ', 30));
    FOREACH term IN ARRAY terms LOOP
        at := strpos(low, ' ' || term);
        IF at > 0 AND (first = 0 OR at < first) THEN
            first := at;
        END IF;
    END LOOP;
    IF first <= size / 4 THEN
        RETURN substr(doc, 1, size);
    END IF;
    start := first - size / 4;
    at := strpos(substr(doc, start, 100), ' ');
    IF at > 0 THEN
        start := start + at;
    END IF;
    RETURN substr(doc, start, size);
END;
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;

-- The search itself (src/modules/pages/repository/search.ts calls it): one page of hits for `q` (websearch syntax)
-- in `lang`, best first, with the number of all matches and a headline of each hit's text. `published`: only
-- pages the site can show (published, their time reached, every page above them too), with their full paths;
-- otherwise every page that is not deleted. In a function, its statement is parsed and planned once per
-- connection instead of once per search: a quarter of the database's time per search on the bench's 10,000
-- pages (2.1 ms to 1.6 ms).
--  * The matches are ranked from their vectors alone, with ts_rank (ts_rank_cd, cover density, cost four times
--    as much over the 600 matches of a common query), and counted by a window over the same scan. `OFFSET 0`
--    keeps the rank computed below the window, which otherwise copies every match's vector into its store.
--  * A top-level page has no pages above it: pages_ancestors_live (0015) is asked only for the others.
--  * Only the hits of the page are joined to their texts. The headline is made from the excerpt, the content
--    and the text of the blocks, each in `lang`, else in the other language, as the site shows them; in the
--    configuration of the content's language (`headline_lang`). The markers of `options` (StartSel, StopSel)
--    are removed from the text first, so in the headline they only mark hits.
CREATE OR REPLACE FUNCTION pages_search(
    q TEXT, lang TEXT, published BOOLEAN, lim INTEGER, skip INTEGER, headline_size INTEGER, options TEXT,
    markers TEXT)
RETURNS TABLE (
    id UUID, slug VARCHAR, status VARCHAR, title JSONB, published_at TIMESTAMPTZ, updated_at TIMESTAMPTZ,
    path TEXT, rank FLOAT8, total INTEGER, headline_lang TEXT, headline TEXT) AS $$
DECLARE
    other TEXT := CASE WHEN lang = 'de' THEN 'en' ELSE 'de' END;
    config REGCONFIG := CASE WHEN lang = 'de' THEN 'german' ELSE 'english' END;
    other_config REGCONFIG := CASE WHEN lang = 'de' THEN 'english' ELSE 'german' END;
    query TSQUERY := websearch_to_tsquery(config, q);
    terms TEXT[] := pages_query_terms(query, q);
BEGIN
    RETURN QUERY
    WITH ranked AS (
        SELECT m.id, m.published_at, m.rank, count(*) OVER () AS total
          FROM (
              SELECT p.id, p.published_at, ts_rank(p.search_vector, query) AS rank
                FROM pages p
               WHERE p.search_vector @@ query
                 AND p.deleted_at IS NULL
                 AND (NOT published
                      OR (p.status = 'published' AND p.published_at IS NOT NULL AND p.published_at <= now()
                          AND (p.parent_id IS NULL OR pages_ancestors_live(p.parent_id))))
              OFFSET 0
          ) m
         ORDER BY m.rank DESC, m.published_at DESC NULLS LAST, m.id
         LIMIT lim OFFSET skip
    )
    SELECT p.id, p.slug, p.status, p.title, p.published_at, p.updated_at,
           CASE WHEN published THEN pages_path(p.id) END,
           r.rank::float8, r.total::int, b.text_lang,
           ts_headline(b.text_config,
                       translate(pages_headline_text(b.body, terms, headline_size), markers, ''),
                       query, options)
      FROM ranked r
      JOIN pages p ON p.id = r.id
     CROSS JOIN LATERAL (
         SELECT concat_ws(E'\n',
                          COALESCE(NULLIF(p.excerpt ->> lang, ''), p.excerpt ->> other),
                          COALESCE(NULLIF(p.content ->> lang, ''), p.content ->> other),
                          NULLIF(pages_block_text(p.blocks, lang, true), '')) AS body,
                CASE WHEN COALESCE(p.content ->> lang, '') = '' AND COALESCE(p.content ->> other, '') <> ''
                     THEN other ELSE lang END AS text_lang,
                CASE WHEN COALESCE(p.content ->> lang, '') = '' AND COALESCE(p.content ->> other, '') <> ''
                     THEN other_config ELSE config END AS text_config
     ) b
     ORDER BY r.rank DESC, r.published_at DESC NULLS LAST, r.id;
END;
$$ LANGUAGE plpgsql STABLE;

ALTER TABLE pages DISABLE TRIGGER update_pages_updated_at;
ALTER TABLE pages DISABLE TRIGGER bump_pages_version;
UPDATE pages SET search_vector = pages_search_vector(title, excerpt, content, blocks);
ALTER TABLE pages ENABLE TRIGGER update_pages_updated_at;
ALTER TABLE pages ENABLE TRIGGER bump_pages_version;
