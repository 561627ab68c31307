-- Search snippets from words lexized when a page is saved, not when it is searched (issue 14: the search page at
-- 5 % of /health/live with every query different).
--
-- Until now pages_search (0023) made each hit's snippet with ts_headline at query time: it parses the text of
-- each of the ten hits shown and runs every word through the language's stemmer, about half the database's time
-- of a search (0.6 of 1.4 ms on the bench's 10,000 pages; to_tsvector of the same text costs as much). That work
-- depends on the text alone, so it is now done once per save:
--
--  * page_search_tokens (a table, not a column of pages: page reads, the audit trail's diffs and the version
--    stay as they were, and the search's scan over pages does not read it) holds, per page and language, the
--    text a snippet is cut from, as the site shows it in that language (excerpt, content, then the text of the
--    blocks; a text without that language in English, as 0023's fallback), as tokens of the text search parser,
--    each word with its lexemes, each part lexized in the configuration of its own language.
--  * Format of `tokens` (read by src/modules/pages/headline.ts): tokens separated by U+001F; a word is its text,
--    U+001E, then its lexemes separated by U+001E (none for a stop word); any other token (spaces, punctuation,
--    Markdown's symbols) is its text alone. Their texts joined give the text back, except that a compound
--    token's parts stand for it (a hyphenated word, a URL: as ts_headline shows them), a tag becomes a space, and
--    U+0001, U+0002, U+001E and U+001F are removed beforehand. `text_lang`: the language of the content, which
--    the snippet is mostly in (the other language's when the page has content in that one only).
--  * The trigger keeps it: on insert, and on an update that changes the excerpt, the content or the blocks.
--    Deleting a page (a row, not the soft delete) deletes its tokens.
--  * pages_search returns the tokens of each hit shown and the lexemes of the query in both languages; the
--    application cuts the snippet around the hits (src/modules/pages/headline.ts), which takes microseconds.
--    The functions that only served ts_headline (pages_headline_text, pages_query_terms) are dropped.
--  * Backfill: every existing page's tokens, here (about 0.5 ms per page and language for a page of 600 letters).

CREATE TABLE page_search_tokens (
    page_id UUID NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    lang VARCHAR(2) NOT NULL,
    text_lang VARCHAR(2) NOT NULL,
    tokens TEXT NOT NULL,
    PRIMARY KEY (page_id, lang),
    CONSTRAINT ck_page_search_tokens_lang CHECK (lang IN ('en', 'de')),
    CONSTRAINT ck_page_search_tokens_text_lang CHECK (text_lang IN ('en', 'de'))
);

-- The tokens of one text (format above), lexized with `config`: the parser's tokens in order, each mapped
-- through the configuration's dictionaries like to_tsvector does (the first dictionary that recognises it; a
-- token no dictionary recognises, or of a type the configuration does not map, is not a word). The mapping is
-- read once per text, not per token (a 200,000-letter content in 70 ms instead of 180).
CREATE OR REPLACE FUNCTION pages_text_tokens(doc TEXT, config REGCONFIG)
RETURNS TEXT AS $$
    WITH kinds AS MATERIALIZED (
        SELECT k.tokid, k.alias,
               (SELECT array_agg(m.mapdict ORDER BY m.mapseqno)
                  FROM pg_ts_config_map m
                 WHERE m.mapcfg = config AND m.maptokentype = k.tokid) AS dicts
          FROM ts_token_type((SELECT cfgparser FROM pg_ts_config WHERE oid = config)) AS k
    )
    SELECT COALESCE(string_agg(
               CASE WHEN kinds.alias = 'tag' THEN ' '
                    WHEN t.lexemes IS NULL THEN p.token
                    ELSE p.token || E'\x1e' || array_to_string(t.lexemes, E'\x1e') END,
               E'\x1f' ORDER BY p.n), '')
      FROM ts_parse((SELECT cfgparser FROM pg_ts_config WHERE oid = config),
                    translate(doc, E'\x01\x02\x1e\x1f', '')) WITH ORDINALITY AS p(tokid, token, n)
      JOIN kinds ON kinds.tokid = p.tokid
     CROSS JOIN LATERAL (
         SELECT CASE WHEN kinds.dicts IS NULL THEN NULL
                     WHEN cardinality(kinds.dicts) = 1 THEN ts_lexize(kinds.dicts[1], p.token)
                     ELSE (SELECT l.lexemes
                             FROM unnest(kinds.dicts) WITH ORDINALITY AS d(dict, i)
                            CROSS JOIN LATERAL ts_lexize(d.dict, p.token) AS l(lexemes)
                            WHERE l.lexemes IS NOT NULL
                            ORDER BY d.i
                            LIMIT 1) END AS lexemes
     ) t
     WHERE kinds.alias NOT IN ('asciihword', 'hword', 'numhword', 'url')
$$ LANGUAGE sql STABLE PARALLEL SAFE;

-- The snippet text of a page in `lang` (format above): the excerpt, the content and each bilingual text of the
-- blocks (0023's pages_block_text, one at a time), each in `lang` or else in the other language (a block text:
-- in English), lexized in its own language's configuration; parts separated by a line break.
CREATE OR REPLACE FUNCTION pages_search_tokens(excerpt JSONB, content JSONB, blocks JSONB, lang TEXT)
RETURNS TEXT AS $$
DECLARE
    other TEXT := CASE WHEN lang = 'de' THEN 'en' ELSE 'de' END;
    result TEXT;
BEGIN
    SELECT COALESCE(string_agg(pages_text_tokens(parts.body,
                                                 CASE WHEN parts.body_lang = 'de' THEN 'german'
                                                      ELSE 'english' END::regconfig),
                               E'\x1f\n\x1f' ORDER BY parts.n), '')
      INTO result
      FROM (
          SELECT f.i AS n,
                 CASE WHEN COALESCE(f.field ->> lang, '') <> '' THEN f.field ->> lang
                      ELSE f.field ->> other END AS body,
                 CASE WHEN COALESCE(f.field ->> lang, '') <> '' THEN lang ELSE other END AS body_lang
            FROM (VALUES (1, excerpt), (2, content)) AS f(i, field)
          UNION ALL
          SELECT 2 + v.n, CASE WHEN COALESCE(v.value ->> lang, '') <> '' THEN v.value ->> lang
                               ELSE v.value ->> 'en' END,
                 CASE WHEN COALESCE(v.value ->> lang, '') <> '' THEN lang ELSE 'en' END
            FROM jsonb_path_query(
                     CASE WHEN jsonb_typeof(blocks) = 'array' THEN blocks ELSE '[]'::jsonb END,
                     'strict $.** ? (@.type() == "object" && (@.en.type() == "string" || @.de.type() == "string"))'
                 ) WITH ORDINALITY AS v(value, n)
      ) parts
     WHERE COALESCE(parts.body, '') <> '';
    RETURN result;
END;
$$ LANGUAGE plpgsql STABLE PARALLEL SAFE;

-- Both languages' tokens of one page, written or rewritten.
CREATE OR REPLACE FUNCTION pages_store_search_tokens(page UUID, excerpt JSONB, content JSONB, blocks JSONB)
RETURNS VOID AS $$
    INSERT INTO page_search_tokens (page_id, lang, text_lang, tokens)
    SELECT page, l.lang,
           CASE WHEN COALESCE(content ->> l.lang, '') = '' AND COALESCE(content ->> l.other, '') <> ''
                THEN l.other ELSE l.lang END,
           pages_search_tokens(excerpt, content, blocks, l.lang)
      FROM (VALUES ('en', 'de'), ('de', 'en')) AS l(lang, other)
    ON CONFLICT (page_id, lang) DO UPDATE SET text_lang = EXCLUDED.text_lang, tokens = EXCLUDED.tokens
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION update_page_search_tokens()
RETURNS TRIGGER AS $$
BEGIN
    PERFORM pages_store_search_tokens(NEW.id, NEW.excerpt, NEW.content, NEW.blocks);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER insert_page_search_tokens
    AFTER INSERT ON pages
    FOR EACH ROW EXECUTE FUNCTION update_page_search_tokens();

CREATE TRIGGER update_page_search_tokens
    AFTER UPDATE OF excerpt, content, blocks ON pages
    FOR EACH ROW
    WHEN (NEW.excerpt IS DISTINCT FROM OLD.excerpt
          OR NEW.content IS DISTINCT FROM OLD.content
          OR NEW.blocks IS DISTINCT FROM OLD.blocks)
    EXECUTE FUNCTION update_page_search_tokens();

SELECT pages_store_search_tokens(id, excerpt, content, blocks) FROM pages;

-- The lexemes of a query as the snippet looks for them (its text form quotes each lexeme, a quote doubled).
CREATE OR REPLACE FUNCTION pages_query_lexemes(q TSQUERY)
RETURNS TEXT[] AS $$
    SELECT COALESCE(array_agg(DISTINCT replace(m[1], '''''', '''')), '{}')
      FROM regexp_matches(q::text, '''((?:[^'']|'''')+)''', 'g') AS m
$$ LANGUAGE sql IMMUTABLE PARALLEL SAFE;

DROP FUNCTION pages_search(TEXT, TEXT, BOOLEAN, INTEGER, INTEGER, INTEGER, TEXT, TEXT);
DROP FUNCTION pages_headline_text(TEXT, TEXT[], INTEGER);
DROP FUNCTION pages_query_terms(TSQUERY, TEXT);

-- The search (src/modules/pages/repository/search.ts calls it): as in 0023, one page of hits for `q` (websearch
-- syntax) in `lang`, best first, with the number of all matches; instead of a headline, each hit's tokens in
-- `lang` (page_search_tokens) and the query's lexemes in both languages (`lexemes`, the same in every row: a
-- text the reader's language lacks is shown, and lexized, in the other one).
CREATE OR REPLACE FUNCTION pages_search(q TEXT, lang TEXT, published BOOLEAN, lim INTEGER, skip INTEGER)
RETURNS TABLE (
    id UUID, slug VARCHAR, status VARCHAR, title JSONB, published_at TIMESTAMPTZ, updated_at TIMESTAMPTZ,
    path TEXT, rank FLOAT8, total INTEGER, text_lang VARCHAR, tokens TEXT, lexemes TEXT[]) AS $$
DECLARE
    config REGCONFIG := CASE WHEN lang = 'de' THEN 'german' ELSE 'english' END;
    other_config REGCONFIG := CASE WHEN lang = 'de' THEN 'english' ELSE 'german' END;
    query TSQUERY := websearch_to_tsquery(config, q);
    words TEXT[] := pages_query_lexemes(query) || pages_query_lexemes(websearch_to_tsquery(other_config, q));
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
           r.rank::float8, r.total::int, t.text_lang, t.tokens, words
      FROM ranked r
      JOIN pages p ON p.id = r.id
      LEFT JOIN page_search_tokens t ON t.page_id = p.id AND t.lang = pages_search.lang
     ORDER BY r.rank DESC, r.published_at DESC NULLS LAST, r.id;
END;
$$ LANGUAGE plpgsql STABLE;
