@testable import ClusterTools

/// The inputs the filter tests pipe in, and each table's commands with what GNU grep 3.8 and coreutils 9.1 print
/// for them (C.UTF-8 locale).
extension FilterCase {
  /// A service log: requests with ids, statuses and timings, and some other lines.
  static let log =
    "10:00:01 INFO  GET /hello id=1a2b status=200 took=12ms\n"
      + "10:00:02 INFO  upstream connect ok\n"
      + "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n"
      + "10:00:04 INFO  retrying id=3c4d\n"
      + "10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n"
      + "10:00:06 DEBUG pool size=4\n"
      + "10:00:07 DEBUG pool size=5\n"
      + "10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n"
      + "10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"
      + "10:00:10 INFO  shutting down\n"

  /// Single letters, with `a` on lines 1, 4 and 9: context groups that touch and groups that do not.
  static let letters = "a\nb\nc\na\nd\ne\nf\ng\na\nh\n"

  /// `foo` and `bar` as whole words and inside others.
  static let words = "foo bar\nfoobar baz\nbar-foo\nfoo_bar\nxfoo\nFOO\n"

  /// Lines full of the characters basic and extended patterns read differently.
  static let syntax = "a|b\na+b\naab\nab\n{1}\na{1}\nx.y\nxzy\n(x)\n^a\na$b\n"

  /// Characters beyond ASCII: a precomposed `é`, an `e` with a combining accent, and Chinese.
  static let unicode = "café\ncafe\u{301}\n连接 已建立\nnew connection\nx\n"

  /// `é` precomposed, then as an `e` with a combining accent, then precomposed again: canonically
  /// equivalent lines that the tools tell apart by their code points.
  static let accents = "caf\u{E9}\ncafe\u{301}\ncaf\u{E9}\n"

  /// The numbers 1 to 5.
  static let numbers = "1\n2\n3\n4\n5\n"

  /// Two lines, the last without its newline.
  static let unterminated = "one\ntwo"

  /// Letters and numbers in two blank-separated columns, with cases, repeats and non-numbers.
  static let table = "b 10\na 2\nc 1\nB 3\na 2\n10x\n-1 z\n 5\n"

  /// Colon-separated records with a numeric second field, one of them empty.
  static let colons = "x:3:foo\ny:1:bar\nz:2:baz\nw:10:qux\nv::empty\n"

  /// Runs of equal lines, one differing only in case.
  static let repeats = "a\na\nb\nA\na\nc\nc\nc\n"

  /// Space-separated columns, a line without a space and an empty line.
  static let columns = "a b c d\nx y\nnodelim\n\n"

  /// Two lines of words.
  static let prose = "one two\nthree\n"

  /// Which lines grep selects: flags, pattern kinds, counts and exit codes.
  static let grepSelection: [FilterCase] = [
    FilterCase("grep status=200", log, out: "10:00:01 INFO  GET /hello id=1a2b status=200 took=12ms\n10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n"),
    FilterCase("grep -v INFO", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:06 DEBUG pool size=4\n10:00:07 DEBUG pool size=5\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep -c INFO", log, out: "6\n"),
    FilterCase("grep -ci info", log, out: "6\n"),
    FilterCase("grep -i 'get /HELLO'", log, out: "10:00:01 INFO  GET /hello id=1a2b status=200 took=12ms\n10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n"),
    FilterCase("grep -n DEBUG", log, out: "6:10:00:06 DEBUG pool size=4\n7:10:00:07 DEBUG pool size=5\n"),
    FilterCase("grep -vc INFO", log, out: "4\n"),
    FilterCase("grep -x '10:00:10 INFO  shutting down'", log, out: "10:00:10 INFO  shutting down\n"),
    FilterCase("grep -w 'pool'", log, out: "10:00:06 DEBUG pool size=4\n10:00:07 DEBUG pool size=5\n"),
    FilterCase("grep -w 'poo'", log, exit: 1),
    FilterCase("grep -c -w 'id=3c4d'", log, out: "3\n"),
    FilterCase("grep -F '.'", log, exit: 1),
    FilterCase("grep -F .", syntax, out: "x.y\n"),
    FilterCase("grep -c .", syntax, out: "11\n"),
    FilterCase("grep -F 'status=[0-9]'", log, exit: 1),
    FilterCase("grep -e WARN -e ERROR", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep --ignore-case --count warn", log, out: "1\n"),
    FilterCase("grep INFO -c", log, out: "6\n"),
    FilterCase("grep nomatch", log, exit: 1),
    FilterCase("grep -c nomatch", log, out: "0\n", exit: 1),
    FilterCase("grep -q ERROR", log),
    FilterCase("grep -q nomatch", log, exit: 1),
    FilterCase("grep -H ERROR", log, out: "(standard input):10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep -nb ERROR", log, out: "9:341:10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep -hn ERROR - -", log, out: "9:10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep ''", log, out: "10:00:01 INFO  GET /hello id=1a2b status=200 took=12ms\n10:00:02 INFO  upstream connect ok\n10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:04 INFO  retrying id=3c4d\n10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n10:00:06 DEBUG pool size=4\n10:00:07 DEBUG pool size=5\n10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n10:00:10 INFO  shutting down\n"),
    FilterCase("grep -E 'WARN|ERROR'", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep 'WARN\\|ERROR'", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep 'WARN|ERROR'", log, exit: 1),
    FilterCase("grep -E 'WARN\\|ERROR'", log, exit: 1),
    FilterCase("grep -E 'took=[0-9]{3,}ms'", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep 'took=[0-9]\\{3,\\}ms'", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep 'took=[0-9]{3,}ms'", log, exit: 1),
    FilterCase("grep -E 'id=(3c4d|7a8b) '", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep 'id=\\(3c4d\\|7a8b\\) '", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep -E '^10:00:0[1-3]'", log, out: "10:00:01 INFO  GET /hello id=1a2b status=200 took=12ms\n10:00:02 INFO  upstream connect ok\n10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n"),
    FilterCase("grep 'ms$'", log, out: "10:00:01 INFO  GET /hello id=1a2b status=200 took=12ms\n10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep -c '[[:upper:]]\\{5\\}'", log, out: "3\n"),
    FilterCase("grep -c e", unicode, out: "2\n"),
    FilterCase("grep -c 'e$'", unicode, out: "0\n", exit: 1),
    FilterCase("grep -c 连接", unicode, out: "1\n"),
    FilterCase("grep -v -c e", unicode, out: "3\n"),
    FilterCase("grep -c -e 连接 -e x", unicode, out: "2\n"),
    FilterCase("grep -F -c 'café'", unicode, out: "1\n"),
    FilterCase("grep -c ''", unicode, out: "5\n"),
    FilterCase("grep -n 建立", unicode, out: "3:连接 已建立\n"),
  ]

  /// Context lines (`-A`, `-B`, `-C`, `-NUM`), `--` separators, `-n` prefixes and `-m` stopping.
  static let grepContext: [FilterCase] = [
    FilterCase("grep -A3 id=3c4d", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:04 INFO  retrying id=3c4d\n10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n10:00:06 DEBUG pool size=4\n10:00:07 DEBUG pool size=5\n10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n"),
    FilterCase("grep -A1 WARN", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:04 INFO  retrying id=3c4d\n"),
    FilterCase("grep -B2 ERROR", log, out: "10:00:07 DEBUG pool size=5\n10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep -C1 DEBUG", log, out: "10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n10:00:06 DEBUG pool size=4\n10:00:07 DEBUG pool size=5\n10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n"),
    FilterCase("grep -n -B2 -A12 WARN", log, out: "1-10:00:01 INFO  GET /hello id=1a2b status=200 took=12ms\n2-10:00:02 INFO  upstream connect ok\n3:10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n4-10:00:04 INFO  retrying id=3c4d\n5-10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n6-10:00:06 DEBUG pool size=4\n7-10:00:07 DEBUG pool size=5\n8-10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n9-10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n10-10:00:10 INFO  shutting down\n"),
    FilterCase("grep -n -A1 'status=200'", log, out: "1:10:00:01 INFO  GET /hello id=1a2b status=200 took=12ms\n2-10:00:02 INFO  upstream connect ok\n--\n5:10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n6-10:00:06 DEBUG pool size=4\n--\n8:10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n9-10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep -nA 2 'id=3c4d'", log, out: "3:10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n4:10:00:04 INFO  retrying id=3c4d\n5:10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n6-10:00:06 DEBUG pool size=4\n7-10:00:07 DEBUG pool size=5\n"),
    FilterCase("grep -m1 INFO", log, out: "10:00:01 INFO  GET /hello id=1a2b status=200 took=12ms\n"),
    FilterCase("grep -m2 -n INFO", log, out: "1:10:00:01 INFO  GET /hello id=1a2b status=200 took=12ms\n2:10:00:02 INFO  upstream connect ok\n"),
    FilterCase("grep -m1 -A3 WARN", log, out: "10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:04 INFO  retrying id=3c4d\n10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n10:00:06 DEBUG pool size=4\n"),
    FilterCase("grep -m1 -A2 -n 'id=3c4d'", log, out: "3:10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n4-10:00:04 INFO  retrying id=3c4d\n5-10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n"),
    FilterCase("grep -c -m2 INFO", log, out: "2\n"),
    FilterCase("grep -vc -m3 INFO", log, out: "3\n"),
    FilterCase("grep -m 0 INFO", log, exit: 1),
    FilterCase("grep -2 DEBUG", log, out: "10:00:04 INFO  retrying id=3c4d\n10:00:05 INFO  GET /hello id=3c4d status=200 took=31ms\n10:00:06 DEBUG pool size=4\n10:00:07 DEBUG pool size=5\n10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n"),
    FilterCase("grep -A1 -C3 ERROR", log, out: "10:00:06 DEBUG pool size=4\n10:00:07 DEBUG pool size=5\n10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n10:00:10 INFO  shutting down\n"),
    FilterCase("grep -vn -A1 INFO", log, out: "3:10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n4-10:00:04 INFO  retrying id=3c4d\n--\n6:10:00:06 DEBUG pool size=4\n7:10:00:07 DEBUG pool size=5\n8-10:00:08 INFO  GET /hello id=5e6f status=200 took=9ms\n9:10:00:09 ERROR GET /bye id=7a8b status=500 took=1200ms\n10-10:00:10 INFO  shutting down\n"),
    FilterCase("grep -A0 pool", log, out: "10:00:06 DEBUG pool size=4\n10:00:07 DEBUG pool size=5\n"),
    FilterCase("grep --after-context=1 --line-number WARN", log, out: "3:10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n4-10:00:04 INFO  retrying id=3c4d\n"),
    FilterCase("grep --context 1 WARN", log, out: "10:00:02 INFO  upstream connect ok\n10:00:03 WARN  GET /hello id=3c4d status=503 took=250ms\n10:00:04 INFO  retrying id=3c4d\n"),
    FilterCase("grep -m -1 -c INFO", log, out: "6\n"),
    FilterCase("grep -o -A1 'id=....'", log, out: "id=1a2b\nid=3c4d\nid=3c4d\nid=3c4d\n--\nid=5e6f\nid=7a8b\n"),
  ]

  /// Where `--` goes between context groups that do not touch.
  static let grepContextSeparators: [FilterCase] = [
    FilterCase("grep -A1 a", letters, out: "a\nb\n--\na\nd\n--\na\nh\n"),
    FilterCase("grep -B1 a", letters, out: "a\n--\nc\na\n--\ng\na\n"),
    FilterCase("grep -n -C1 d", letters, out: "4-a\n5:d\n6-e\n"),
    FilterCase("grep -n -B1 -A1 a", letters, out: "1:a\n2-b\n3-c\n4:a\n5-d\n--\n8-g\n9:a\n10-h\n"),
    FilterCase("grep -nv -A1 '[a-e]'", letters, out: "7:f\n8:g\n9-a\n10:h\n"),
    FilterCase("grep -n -m1 -A5 a", letters, out: "1:a\n2-b\n3-c\n4-a\n5-d\n6-e\n"),
    FilterCase("grep -o -n -C1 'a\\|d'", letters, out: "1:a\n4:a\n5:d\n--\n9:a\n"),
  ]

  /// `-o`: each match on its own line, the longest at the leftmost place.
  static let grepOnlyMatching: [FilterCase] = [
    FilterCase("grep -o 'id=[0-9a-f]*'", log, out: "id=1a2b\nid=3c4d\nid=3c4d\nid=3c4d\nid=5e6f\nid=7a8b\n"),
    FilterCase("grep -on 'took=[0-9]*ms'", log, out: "1:took=12ms\n3:took=250ms\n5:took=31ms\n8:took=9ms\n9:took=1200ms\n"),
    FilterCase("grep -oE '[0-9]+ms'", log, out: "12ms\n250ms\n31ms\n9ms\n1200ms\n"),
    FilterCase("grep -oi 'get /[a-z]*'", log, out: "GET /hello\nGET /hello\nGET /hello\nGET /hello\nGET /bye\n"),
    FilterCase("grep -ob ERROR", log, out: "350:ERROR\n"),
    FilterCase("grep -oc INFO", log, out: "6\n"),
    FilterCase("grep -ov INFO", log),
    FilterCase("grep -ow 'size=[0-9]'", log, out: "size=4\nsize=5\n"),
    FilterCase("grep -o 'x*'", log),
    FilterCase("grep -oE 'GET|GET /hello'", log, out: "GET /hello\nGET /hello\nGET /hello\nGET /hello\nGET\n"),
    FilterCase("grep -oE 'status=(2|20|200)'", log, out: "status=200\nstatus=200\nstatus=200\n"),
    FilterCase("grep -oE '(a|ab)(c|bcd)?'", syntax, out: "a\na\na\nab\nab\na\na\na\n"),
    FilterCase("grep -ow 'ab\\|a'", syntax, out: "a\na\nab\na\na\na\n"),
  ]

  /// `-w`, `-x` and the word anchors.
  static let grepWords: [FilterCase] = [
    FilterCase("grep -w foo", words, out: "foo bar\nbar-foo\n"),
    FilterCase("grep -ow foo", words, out: "foo\nfoo\n"),
    FilterCase("grep -wc foo", words, out: "2\n"),
    FilterCase("grep -wi foo", words, out: "foo bar\nbar-foo\nFOO\n"),
    FilterCase("grep -w bar", words, out: "foo bar\nbar-foo\n"),
    FilterCase("grep -x foo", words, exit: 1),
    FilterCase("grep -xi foo", words, out: "FOO\n"),
    FilterCase("grep '\\<foo'", words, out: "foo bar\nfoobar baz\nbar-foo\nfoo_bar\n"),
    FilterCase("grep 'foo\\>'", words, out: "foo bar\nbar-foo\nxfoo\n"),
    FilterCase("grep -o '\\bbar'", words, out: "bar\nbar\n"),
    FilterCase("grep '\\Bbar'", words, out: "foobar baz\nfoo_bar\n"),
    FilterCase("grep -o '\\w*_\\w*'", words, out: "foo_bar\n"),
    FilterCase("grep -c '\\W'", words, out: "3\n"),
    FilterCase("grep -E -o '\\<(foo|bar)\\>'", words, out: "foo\nbar\nbar\nfoo\n"),
  ]

  /// Basic against extended syntax: which characters are operators.
  static let grepSyntax: [FilterCase] = [
    FilterCase("grep 'a|b'", syntax, out: "a|b\n"),
    FilterCase("grep -E 'a|b'", syntax, out: "a|b\na+b\naab\nab\na{1}\n^a\na$b\n"),
    FilterCase("grep 'a\\|b'", syntax, out: "a|b\na+b\naab\nab\na{1}\n^a\na$b\n"),
    FilterCase("grep -E 'a\\|b'", syntax, out: "a|b\n"),
    FilterCase("grep 'a+b'", syntax, out: "a+b\n"),
    FilterCase("grep -E 'a+b'", syntax, out: "aab\nab\n"),
    FilterCase("grep 'a\\+b'", syntax, out: "aab\nab\n"),
    FilterCase("grep -o 'a\\?b'", syntax, out: "b\nb\nab\nab\nb\n"),
    FilterCase("grep '{1}'", syntax, out: "{1}\na{1}\n"),
    FilterCase("grep -E '{1}'", syntax, out: "a|b\na+b\naab\nab\n{1}\na{1}\nx.y\nxzy\n(x)\n^a\na$b\n", err: "grep: warning: {...} at start of expression\n"),
    FilterCase("grep 'a{1}'", syntax, out: "a{1}\n"),
    FilterCase("grep -E 'a{1}'", syntax, out: "a|b\na+b\naab\nab\na{1}\n^a\na$b\n"),
    FilterCase("grep 'a\\{2\\}'", syntax, out: "aab\n"),
    FilterCase("grep -E 'a\\{1\\}'", syntax, out: "a{1}\n"),
    FilterCase("grep -E 'a{1'", syntax, out: "a{1}\n"),
    FilterCase("grep -E 'a{,1}b'", syntax, out: "a|b\na+b\naab\nab\na$b\n"),
    FilterCase("grep '(x)'", syntax, out: "(x)\n"),
    FilterCase("grep -E '(x)'", syntax, out: "x.y\nxzy\n(x)\n"),
    FilterCase("grep '\\(x\\)'", syntax, out: "x.y\nxzy\n(x)\n"),
    FilterCase("grep -F '(x)'", syntax, out: "(x)\n"),
    FilterCase("grep x.y", syntax, out: "x.y\nxzy\n"),
    FilterCase("grep -F x.y", syntax, out: "x.y\n"),
    FilterCase("grep 'x\\.y'", syntax, out: "x.y\n"),
    FilterCase("grep '^a'", syntax, out: "a|b\na+b\naab\nab\na{1}\na$b\n"),
    FilterCase("grep '\\^a'", syntax, out: "^a\n"),
    FilterCase("grep 'a^'", syntax, exit: 1),
    FilterCase("grep 'a$b'", syntax, out: "a$b\n"),
    FilterCase("grep -E 'a$b'", syntax, exit: 1),
    FilterCase("grep -E 'a\\$b'", syntax, out: "a$b\n"),
    FilterCase("grep '*a'", syntax, exit: 1),
    FilterCase("grep -E '*a'", syntax, out: "a|b\na+b\naab\nab\na{1}\n^a\na$b\n", err: "grep: warning: * at start of expression\n"),
    FilterCase("grep -E 'a|*b'", syntax, out: "a|b\na+b\naab\nab\na{1}\n^a\na$b\n", err: "grep: warning: * at start of expression\n"),
    FilterCase("grep 'a**'", syntax, out: "a|b\na+b\naab\nab\n{1}\na{1}\nx.y\nxzy\n(x)\n^a\na$b\n"),
    FilterCase("grep -o '\\(a\\)\\1'", syntax, out: "aa\n"),
    FilterCase("grep -E '(a)\\1'", syntax, out: "aab\n"),
    FilterCase("grep -o '[[:alpha:]]\\{3\\}'", syntax, out: "aab\nxzy\n"),
    FilterCase("grep '[]a]'", syntax, out: "a|b\na+b\naab\nab\na{1}\n^a\na$b\n"),
    FilterCase("grep '[^a-z]'", syntax, out: "a|b\na+b\n{1}\na{1}\nx.y\n(x)\n^a\na$b\n"),
    FilterCase("grep -i '[[:lower:]]$'", syntax, out: "a|b\na+b\naab\nab\nx.y\nxzy\n^a\na$b\n"),
    FilterCase("grep -o '[.+]'", syntax, out: "+\n.\n"),
    FilterCase("grep -E ')'", syntax, out: "(x)\n"),
  ]

  /// Invalid patterns, options and values, and missing files, in GNU's words.
  static let grepErrors: [FilterCase] = [
    FilterCase("grep '('", letters, exit: 1),
    FilterCase("grep -E '('", letters, err: "grep: Unmatched ( or \\(\n", exit: 2),
    FilterCase("grep '\\('", letters, err: "grep: Unmatched ( or \\(\n", exit: 2),
    FilterCase("grep '\\)'", letters, err: "grep: Unmatched ) or \\)\n", exit: 2),
    FilterCase("grep -E 'a(b'", letters, err: "grep: Unmatched ( or \\(\n", exit: 2),
    FilterCase("grep '['", letters, err: "grep: Invalid regular expression\n", exit: 2),
    FilterCase("grep '[a'", letters, err: "grep: Unmatched [, [^, [:, [., or [=\n", exit: 2),
    FilterCase("grep '[[:alpha:]'", letters, err: "grep: Unmatched [, [^, [:, [., or [=\n", exit: 2),
    FilterCase("grep '[[:alph:]]'", letters, err: "grep: Invalid character class name\n", exit: 2),
    FilterCase("grep '[b-a]'", letters, err: "grep: Invalid range end\n", exit: 2),
    FilterCase("grep '[[.ab.]]'", letters, err: "grep: Invalid collation character\n", exit: 2),
    FilterCase("grep 'a\\{1'", letters, err: "grep: Unmatched \\{\n", exit: 2),
    FilterCase("grep 'a\\{2,1\\}'", letters, err: "grep: Invalid content of \\{\\}\n", exit: 2),
    FilterCase("grep -E 'a{}'", letters, err: "grep: Invalid content of \\{\\}\n", exit: 2),
    FilterCase("grep -E 'a{99999}'", letters, err: "grep: Regular expression too big\n", exit: 2),
    FilterCase("grep '\\1'", letters, err: "grep: Invalid back reference\n", exit: 2),
    FilterCase("grep '\\'", letters, err: "grep: Trailing backslash\n", exit: 2),
    FilterCase("grep -E -e '(' -e '['", letters, err: "grep: Unmatched ( or \\(\ngrep: Invalid regular expression\n", exit: 2),
    FilterCase("grep -E -e a -e '('", letters, err: "grep: Unmatched ( or \\(\n", exit: 2),
    FilterCase("grep -j a", letters, err: "grep: invalid option -- 'j'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exit: 2),
    FilterCase("grep --frobnicate a", letters, err: "grep: unrecognized option '--frobnicate'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exit: 2),
    FilterCase("grep --count=3 a", letters, err: "grep: option '--count' doesn't allow an argument\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exit: 2),
    FilterCase("grep -A", letters, err: "grep: option requires an argument -- 'A'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exit: 2),
    FilterCase("grep -e", letters, err: "grep: option requires an argument -- 'e'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exit: 2),
    FilterCase("grep --max-count a", letters, err: "grep: invalid max count\n", exit: 2),
    FilterCase("grep -A x a", letters, err: "grep: x: invalid context length argument\n", exit: 2),
    FilterCase("grep -C -1 a", letters, err: "grep: -1: invalid context length argument\n", exit: 2),
    FilterCase("grep -m x a", letters, err: "grep: invalid max count\n", exit: 2),
    FilterCase("grep -m '' a", letters, err: "grep: invalid max count\n", exit: 2),
    FilterCase("grep", letters, err: "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exit: 2),
    FilterCase("grep -c", letters, err: "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", exit: 2),
    FilterCase("grep -E -F a", letters, err: "grep: conflicting matchers specified\n", exit: 2),
    FilterCase("grep a nofile", letters, err: "grep: nofile: No such file or directory\n", exit: 2),
    FilterCase("grep -c a nofile -", letters, out: "(standard input):3\n", err: "grep: nofile: No such file or directory\n", exit: 2),
    FilterCase("grep -s a nofile", letters, exit: 2),
    FilterCase("grep -q a - nofile", letters),
    FilterCase("grep -m0 '('", letters, exit: 1),
  ]

  /// head and tail counts, obsolete forms, headers and errors.
  static let headTail: [FilterCase] = [
    FilterCase("head -n 2", numbers, out: "1\n2\n"),
    FilterCase("head -n2", numbers, out: "1\n2\n"),
    FilterCase("head -2", numbers, out: "1\n2\n"),
    FilterCase("head --lines=2", numbers, out: "1\n2\n"),
    FilterCase("head -n -2", numbers, out: "1\n2\n3\n"),
    FilterCase("head -c 3", numbers, out: "1\n2"),
    FilterCase("head -n 0", numbers),
    FilterCase("head -n +2", numbers, out: "1\n2\n"),
    FilterCase("head -n 1k", numbers, out: "1\n2\n3\n4\n5\n"),
    FilterCase("head -n x", numbers, err: "head: invalid number of lines: ‘x’\n", exit: 1),
    FilterCase("head -n", numbers, err: "head: option requires an argument -- 'n'\nTry 'head --help' for more information.\n", exit: 1),
    FilterCase("head -n -x", numbers, err: "head: invalid number of lines: ‘x’\n", exit: 1),
    FilterCase("head -n 99999999999999999999999", numbers, err: "head: invalid number of lines: ‘99999999999999999999999’: Value too large for defined data type\n", exit: 1),
    FilterCase("head -5x", numbers, err: "head: invalid trailing option -- x\nTry 'head --help' for more information.\n", exit: 1),
    FilterCase("head -x", numbers, err: "head: invalid option -- 'x'\nTry 'head --help' for more information.\n", exit: 1),
    FilterCase("head nofile", numbers, err: "head: cannot open 'nofile' for reading: No such file or directory\n", exit: 1),
    FilterCase("head -n 1 - -", numbers, out: "==> standard input <==\n1\n\n==> standard input <==\n"),
    FilterCase("head -n1 -v", numbers, out: "==> standard input <==\n1\n"),
    FilterCase("tail -n 2", numbers, out: "4\n5\n"),
    FilterCase("tail -n2", numbers, out: "4\n5\n"),
    FilterCase("tail -2", numbers, out: "4\n5\n"),
    FilterCase("tail --lines=2", numbers, out: "4\n5\n"),
    FilterCase("tail -n +4", numbers, out: "4\n5\n"),
    FilterCase("tail -n+4", numbers, out: "4\n5\n"),
    FilterCase("tail +4", numbers, out: "4\n5\n"),
    FilterCase("tail -n 0", numbers),
    FilterCase("tail -n +0", numbers, out: "1\n2\n3\n4\n5\n"),
    FilterCase("tail -c 4", numbers, out: "4\n5\n"),
    FilterCase("tail -n x", numbers, err: "tail: invalid number of lines: ‘x’\n", exit: 1),
    FilterCase("tail -n +x", numbers, err: "tail: invalid number of lines: ‘+x’\n", exit: 1),
    FilterCase("tail -n", numbers, err: "tail: option requires an argument -- 'n'\nTry 'tail --help' for more information.\n", exit: 1),
    FilterCase("tail -5x", numbers, err: "tail: option used in invalid context -- 5\n", exit: 1),
    FilterCase("tail nofile", numbers, err: "tail: cannot open 'nofile' for reading: No such file or directory\n", exit: 1),
    FilterCase("tail -n 1 - nofile", numbers, out: "==> standard input <==\n5\n", err: "tail: cannot open 'nofile' for reading: No such file or directory\n", exit: 1),
    FilterCase("tail -f", numbers, out: "1\n2\n3\n4\n5\n"),
    FilterCase("tail -n 1 -2", numbers, err: "tail: option used in invalid context -- 2\n", exit: 1),
    FilterCase("head -n 1", unterminated, out: "one\n"),
    FilterCase("head -n 5", unterminated, out: "one\ntwo"),
    FilterCase("tail -n 1", unterminated, out: "two"),
    FilterCase("tail -n -1", unterminated, out: "two"),
  ]

  /// wc columns and their widths.
  static let wordCount: [FilterCase] = [
    FilterCase("wc", prose, out: "      2       3      14\n"),
    FilterCase("wc -l", prose, out: "2\n"),
    FilterCase("wc -w", prose, out: "3\n"),
    FilterCase("wc -c", prose, out: "14\n"),
    FilterCase("wc -m", prose, out: "14\n"),
    FilterCase("wc -m", accents, out: "16\n"),
    FilterCase("wc -c", accents, out: "19\n"),
    FilterCase("wc -L", prose, out: "7\n"),
    FilterCase("wc -lw", prose, out: "      2       3\n"),
    FilterCase("wc -l -c", prose, out: "      2      14\n"),
    FilterCase("wc -wl", prose, out: "      2       3\n"),
    FilterCase("wc --lines", prose, out: "2\n"),
    FilterCase("wc --words --bytes", prose, out: "      3      14\n"),
    FilterCase("wc -l -", prose, out: "2 -\n"),
    FilterCase("wc - nofile", prose, out: "      2       3      14 -\n      2       3      14 total\n", err: "wc: nofile: No such file or directory\n", exit: 1),
    FilterCase("wc -l nofile", prose, err: "wc: nofile: No such file or directory\n", exit: 1),
    FilterCase("wc -x", prose, err: "wc: invalid option -- 'x'\nTry 'wc --help' for more information.\n", exit: 1),
    FilterCase("wc --foo", prose, err: "wc: unrecognized option '--foo'\nTry 'wc --help' for more information.\n", exit: 1),
    FilterCase("wc -l", unterminated, out: "1\n"),
    FilterCase("wc", unterminated, out: "      1       2       7\n"),
  ]

  /// sort orders, keys and separators.
  static let sortLines: [FilterCase] = [
    FilterCase("sort", table, out: " 5\n-1 z\n10x\nB 3\na 2\na 2\nb 10\nc 1\n"),
    FilterCase("sort -n", table, out: "-1 z\nB 3\na 2\na 2\nb 10\nc 1\n 5\n10x\n"),
    FilterCase("sort -r", table, out: "c 1\nb 10\na 2\na 2\nB 3\n10x\n-1 z\n 5\n"),
    FilterCase("sort -u", table, out: " 5\n-1 z\n10x\nB 3\na 2\nb 10\nc 1\n"),
    FilterCase("sort", accents, out: "cafe\u{301}\ncaf\u{E9}\ncaf\u{E9}\n"),
    FilterCase("sort -r", accents, out: "caf\u{E9}\ncaf\u{E9}\ncafe\u{301}\n"),
    FilterCase("sort -u", accents, out: "cafe\u{301}\ncaf\u{E9}\n"),
    FilterCase("sort -nu", table, out: "-1 z\nb 10\n 5\n10x\n"),
    FilterCase("sort -f", table, out: " 5\n-1 z\n10x\na 2\na 2\nb 10\nB 3\nc 1\n"),
    FilterCase("sort -rn", table, out: "10x\n 5\nc 1\nb 10\na 2\na 2\nB 3\n-1 z\n"),
    FilterCase("sort -k2", table, out: " 5\n10x\nc 1\nb 10\na 2\na 2\nB 3\n-1 z\n"),
    FilterCase("sort -k2 -n", table, out: " 5\n-1 z\n10x\nc 1\na 2\na 2\nB 3\nb 10\n"),
    FilterCase("sort -k2n", table, out: " 5\n-1 z\n10x\nc 1\na 2\na 2\nB 3\nb 10\n"),
    FilterCase("sort -k2,2n -r", table, out: "10x\n-1 z\n 5\nc 1\na 2\na 2\nB 3\nb 10\n"),
    FilterCase("sort -t' ' -k2 -n", table, out: "-1 z\n10x\nc 1\na 2\na 2\nB 3\n 5\nb 10\n"),
    FilterCase("sort -b -k2", table, out: " 5\n10x\nc 1\nb 10\na 2\na 2\nB 3\n-1 z\n"),
    FilterCase("sort -s -k1,1", table, out: " 5\n-1 z\n10x\nB 3\na 2\na 2\nb 10\nc 1\n"),
    FilterCase("sort -k1.2", table, out: "c 1\nb 10\na 2\na 2\nB 3\n10x\n-1 z\n 5\n"),
    FilterCase("sort --key=2 --numeric-sort", table, out: " 5\n-1 z\n10x\nc 1\na 2\na 2\nB 3\nb 10\n"),
    FilterCase("sort -k 2,2 -k 1,1r", table, out: "10x\n 5\nc 1\nb 10\na 2\na 2\nB 3\n-1 z\n"),
    FilterCase("sort -t: -k2 -n", colons, out: "v::empty\ny:1:bar\nz:2:baz\nx:3:foo\nw:10:qux\n"),
    FilterCase("sort -t: -k2", colons, out: "w:10:qux\ny:1:bar\nz:2:baz\nx:3:foo\nv::empty\n"),
    FilterCase("sort -t: -k3", colons, out: "y:1:bar\nz:2:baz\nv::empty\nx:3:foo\nw:10:qux\n"),
    FilterCase("sort -t: -k2,2n -k1,1", colons, out: "v::empty\ny:1:bar\nz:2:baz\nx:3:foo\nw:10:qux\n"),
    FilterCase("sort -t : -k 3.2", colons, out: "y:1:bar\nz:2:baz\nv::empty\nx:3:foo\nw:10:qux\n"),
    FilterCase("sort -r", unterminated, out: "two\none\n"),
  ]

  /// sort's complaints about keys and separators.
  static let sortErrors: [FilterCase] = [
    FilterCase("sort -k x", table, err: "sort: invalid number at field start: invalid count at start of ‘x’\n", exit: 2),
    FilterCase("sort -k 0", table, err: "sort: field number is zero: invalid field specification ‘0’\n", exit: 2),
    FilterCase("sort -k 1.0", table, err: "sort: character offset is zero: invalid field specification ‘1.0’\n", exit: 2),
    FilterCase("sort -k 1.x", table, err: "sort: invalid number after '.': invalid count at start of ‘x’\n", exit: 2),
    FilterCase("sort -k 2x", table, err: "sort: stray character in field spec: invalid field specification ‘2x’\n", exit: 2),
    FilterCase("sort -k 1,x", table, err: "sort: invalid number after ',': invalid count at start of ‘x’\n", exit: 2),
    FilterCase("sort -k 1,0", table, err: "sort: field number is zero: invalid field specification ‘1,0’\n", exit: 2),
    FilterCase("sort -k ''", table, err: "sort: invalid number at field start: invalid count at start of ‘’\n", exit: 2),
    FilterCase("sort -k -1", table, err: "sort: invalid number at field start: invalid count at start of ‘-1’\n", exit: 2),
    FilterCase("sort -t ab", table, err: "sort: multi-character tab ‘ab’\n", exit: 2),
    FilterCase("sort -t ''", table, err: "sort: empty tab\n", exit: 2),
    FilterCase("sort -t: -t,", table, err: "sort: incompatible tabs\n", exit: 2),
    FilterCase("sort -t", table, err: "sort: option requires an argument -- 't'\nTry 'sort --help' for more information.\n", exit: 2),
    FilterCase("sort -k", table, err: "sort: option requires an argument -- 'k'\nTry 'sort --help' for more information.\n", exit: 2),
    FilterCase("sort -x", table, err: "sort: invalid option -- 'x'\nTry 'sort --help' for more information.\n", exit: 2),
    FilterCase("sort --foo", table, err: "sort: unrecognized option '--foo'\nTry 'sort --help' for more information.\n", exit: 2),
    FilterCase("sort nofile", table, err: "sort: cannot read: nofile: No such file or directory\n", exit: 2),
  ]

  /// uniq counts and selections.
  static let uniqLines: [FilterCase] = [
    FilterCase("uniq", repeats, out: "a\nb\nA\na\nc\n"),
    FilterCase("uniq -c", repeats, out: "      2 a\n      1 b\n      1 A\n      1 a\n      3 c\n"),
    FilterCase("uniq -c", accents, out: "      1 caf\u{E9}\n      1 cafe\u{301}\n      1 caf\u{E9}\n"),
    FilterCase("uniq -d", repeats, out: "a\nc\n"),
    FilterCase("uniq -cd", repeats, out: "      2 a\n      3 c\n"),
    FilterCase("uniq -u", repeats, out: "b\nA\na\n"),
    FilterCase("uniq -i", repeats, out: "a\nb\nA\nc\n"),
    FilterCase("uniq -ic", repeats, out: "      2 a\n      1 b\n      2 A\n      3 c\n"),
    FilterCase("uniq --count", repeats, out: "      2 a\n      1 b\n      1 A\n      1 a\n      3 c\n"),
    FilterCase("uniq -x", repeats, err: "uniq: invalid option -- 'x'\nTry 'uniq --help' for more information.\n", exit: 1),
    FilterCase("uniq nofile", repeats, err: "uniq: nofile: No such file or directory\n", exit: 1),
    FilterCase("uniq - -", repeats, out: "a\nb\nA\na\nc\n"),
    FilterCase("uniq a b c", repeats, err: "uniq: extra operand ‘c’\nTry 'uniq --help' for more information.\n", exit: 1),
    FilterCase("uniq -c", unterminated, out: "      1 one\n      1 two\n"),
  ]

  /// cut fields, characters and delimiters.
  static let cutColumns: [FilterCase] = [
    FilterCase("cut -d' ' -f2-", columns, out: "b c d\ny\nnodelim\n\n"),
    FilterCase("cut -d ' ' -f 1,3", columns, out: "a c\nx\nnodelim\n\n"),
    FilterCase("cut -d' ' -f-2", columns, out: "a b\nx y\nnodelim\n\n"),
    FilterCase("cut -d' ' -f1-2", columns, out: "a b\nx y\nnodelim\n\n"),
    FilterCase("cut -d' ' -f2 -s", columns, out: "b\ny\n"),
    FilterCase("cut -f2", columns, out: "a b c d\nx y\nnodelim\n\n"),
    FilterCase("cut -c2-4", columns, out: " b \n y\node\n\n"),
    FilterCase("cut -c 1,3", columns, out: "ab\nxy\nnd\n\n"),
    FilterCase("cut -c-2", columns, out: "a \nx \nno\n\n"),
    FilterCase("cut -b 2", columns, out: " \n \no\n\n"),
    FilterCase("cut -d' ' -f '1 2'", columns, out: "a b\nx y\nnodelim\n\n"),
    FilterCase("cut -d' ' -f 3,1 --output-delimiter=:", columns, out: "a:c\nx\nnodelim\n\n"),
    FilterCase("cut -c 1,3 --output-delimiter=X", columns, out: "aXb\nxXy\nnXd\n\n"),
    FilterCase("cut -d' ' --complement -f 2", columns, out: "a c d\nx\nnodelim\n\n"),
    FilterCase("cut --delimiter=' ' --fields=2", columns, out: "b\ny\nnodelim\n\n"),
    FilterCase("cut -d: -f2", colons, out: "3\n1\n2\n10\n\n"),
    FilterCase("cut -d: -f1,3", colons, out: "x:foo\ny:bar\nz:baz\nw:qux\nv:empty\n"),
  ]

  /// cut's complaints about lists and delimiters.
  static let cutErrors: [FilterCase] = [
    FilterCase("cut", columns, err: "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -d' '", columns, err: "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -d ab -f1", columns, err: "cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f0", columns, err: "cut: fields are numbered from 1\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f1-0", columns, err: "cut: invalid decreasing range\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f 3-2", columns, err: "cut: invalid decreasing range\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f x", columns, err: "cut: invalid field value ‘x’\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f 1x", columns, err: "cut: invalid field value ‘x’\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f 1 -c 1", columns, err: "cut: only one list may be specified\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -d: -c1", columns, err: "cut: an input delimiter may be specified only when operating on fields\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -c 1 -s", columns, err: "cut: suppressing non-delimited lines makes sense\n\tonly when operating on fields\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f ''", columns, err: "cut: fields are numbered from 1\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f -", columns, err: "cut: invalid range with no endpoint: -\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f 1-2-3", columns, err: "cut: invalid field range\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -c 0", columns, err: "cut: byte/character positions are numbered from 1\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f 99999999999999999999", columns, err: "cut: field number ‘99999999999999999999’ is too large\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -d", columns, err: "cut: option requires an argument -- 'd'\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -x", columns, err: "cut: invalid option -- 'x'\nTry 'cut --help' for more information.\n", exit: 1),
    FilterCase("cut -f1 nofile", columns, err: "cut: nofile: No such file or directory\n", exit: 1),
  ]

  /// Every table.
  static let all =
    grepSelection + grepContext + grepContextSeparators + grepOnlyMatching + grepWords + grepSyntax + grepErrors + headTail
    + wordCount + sortLines + sortErrors + uniqLines + cutColumns + cutErrors
}
