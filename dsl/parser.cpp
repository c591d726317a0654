#include "netdim/dsl/parser.hpp"

#include <algorithm>
#include <array>

namespace netdim::dsl {
namespace {

constexpr std::array<std::string_view, 10> kKeywords{"netdim", "include", "shortcuts", "block", "for",
                                                     "in",     "return",  "as",        "true",  "false"};
// An operator chain (a + b + c ..., a | f | g ...) longer than this is refused, and so is a
// statement of more expression nodes than kMaxNodes: the trees stay shallow enough that
// evaluating, printing and freeing them never overflow the stack.
constexpr std::size_t kMaxChain = 1000;
constexpr std::size_t kMaxNodes = 500;

// Thrown to abandon the current statement after its error has been reported.
struct Abandon {};

constexpr const char* kBlankLine = "\n";  // in a comment list: a blank line (no comment holds a line break)

class Parser {
 public:
  Parser(SourcePtr source, const Limits& limits, Diagnostics& diagnostics)
      : source_(std::move(source)), limits_(limits), diagnostics_(diagnostics) {
    LexResult lexed = lex(*source_, diagnostics_);
    tokens_ = std::move(lexed.tokens);
    comments_ = std::move(lexed.comments);
  }

  Program program() {
    Program p;
    p.source = source_;
    skip_newlines();
    p.header_comments = comments_before(peek().offset);
    if (peek().kind == Tok::Ident && peek().text == "netdim") {
      const Token& kw = next();
      if (peek().kind == Tok::Int) {
        const Token& v = next();
        p.version = v.integer;
        if (v.integer != 1)
          diagnostics_.error(span(v), "unsupported language version " + v.text, "this netdim reads `netdim 1` files");
      } else {
        diagnostics_.error(span(peek()), "expected the language version after `netdim`", "write `netdim 1`");
      }
      prev_line_ = line(kw);
      if (peek().kind != Tok::Newline && peek().kind != Tok::End) {
        diagnostics_.error(span(peek()), "expected end of line after the version line");
        recover();
      }
      p.version_comment = trailing_comment(peek().offset, prev_line_);
    } else {
      diagnostics_.error(span(peek()), "missing version line", "a .net file starts with `netdim 1`");
      p.version = 1;
    }
    p.body = body(/*braced=*/false);
    return p;
  }

 private:
  // --- tokens -------------------------------------------------------------
  const Token& peek(std::size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  const Token& next() {
    const Token& t = peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return t;
  }
  bool at(Tok kind) const { return peek().kind == kind; }
  bool at_word(std::string_view w) const { return peek().kind == Tok::Ident && peek().text == w; }
  Span span(const Token& t) const { return {source_.get(), t.offset, std::max<std::size_t>(t.length, 1)}; }
  std::size_t line(const Token& t) const { return source_->line_of(t.offset); }
  Span span_between(const Span& first, const Span& last) const {
    const std::size_t end = std::max(first.offset + first.length, last.offset + last.length);
    return {source_.get(), first.offset, end - first.offset};
  }
  [[noreturn]] void fail(const Token& at, std::string message, std::string hint = {}) {
    diagnostics_.error(span(at), std::move(message), std::move(hint));
    throw Abandon{};
  }
  const Token& expect(Tok kind, const std::string& what) {
    if (!at(kind)) fail(peek(), "expected " + token_description(kind) + " " + what + ", found " + found());
    return next();
  }
  // The `)` that closes `open`; when it is missing, the error points at the `(` left open.
  void close(const Token& open, const std::string& what) {
    if (at(Tok::RParen)) {
      next();
      return;
    }
    const std::string where = at(Tok::End) ? std::string("the end of the file")
                                           : found() + " on line " + std::to_string(line(peek()));
    fail(open, "unclosed `(` " + what, "expected `)` or `,` before " + where);
  }

  std::string found() const {
    const Token& t = peek();
    if (t.kind == Tok::Ident || t.kind == Tok::Int || t.kind == Tok::Real) {
      std::string out = "`";
      out += t.text.substr(0, 40);
      out += '`';
      return out;
    }
    return token_description(t.kind);
  }
  void skip_newlines() {
    while (at(Tok::Newline)) next();
  }
  // After an error: skip to the end of the statement (a line break outside braces, or a brace).
  // An unclosed `(` hides the line breaks after it, so a later line that starts like an
  // assignment is taken as the next statement.
  void recover(std::size_t statement_start = SIZE_MAX) {
    std::size_t braces = 0;
    while (!at(Tok::End)) {
      if (braces == 0 && pos_ > statement_start && peek().soft_break_before && at(Tok::Ident) &&
          peek(1).kind == Tok::Assign)
        return;
      if (at(Tok::LBrace)) ++braces;
      if (at(Tok::RBrace)) {
        if (braces == 0) return;
        --braces;
      }
      if (at(Tok::Newline) && braces == 0) return;
      next();
    }
  }

  // --- comments and blank lines ---------------------------------------------
  std::vector<std::string> comments_before(std::size_t offset) {
    std::vector<std::string> out;
    while (comment_ < comments_.size() && comments_[comment_].offset < offset) out.push_back(comments_[comment_++].text);
    return out;
  }
  // A comment on `line` that comes before `offset` (the end of a statement's line).
  // Comments before `offset`, with kBlankLine where blank lines separate them (from each
  // other or from what follows), so that the formatter keeps paragraphs apart.
  std::vector<std::string> comments_with_blank_lines(std::size_t offset) {
    std::vector<std::string> out;
    while (comment_ < comments_.size() && comments_[comment_].offset < offset) {
      const std::size_t line = source_->line_of(comments_[comment_].offset);
      out.push_back(comments_[comment_++].text);
      const std::size_t next_line = comment_ < comments_.size() && comments_[comment_].offset < offset
                                        ? source_->line_of(comments_[comment_].offset)
                                        : source_->line_of(offset);
      if (blank_line_between(line, next_line)) out.push_back(kBlankLine);
    }
    return out;
  }
  std::optional<std::string> trailing_comment(std::size_t offset, std::size_t on_line) {
    if (comment_ < comments_.size() && comments_[comment_].offset <= offset &&
        source_->line_of(comments_[comment_].offset) == on_line)
      return comments_[comment_++].text;
    return std::nullopt;
  }
  bool blank_line_between(std::size_t after_line, std::size_t before_line) const {
    for (std::size_t l = after_line + 1; l < before_line; ++l) {
      const std::string_view text = source_->line_text(l);
      if (text.find_first_not_of(" \t\r\f\v") == std::string_view::npos) return true;
    }
    return false;
  }
  std::size_t first_line_from(std::size_t offset) const {
    if (comment_ < comments_.size() && comments_[comment_].offset < offset)
      return source_->line_of(comments_[comment_].offset);
    return source_->line_of(offset);
  }

  // --- statements -----------------------------------------------------------
  Body body(bool braced) {
    Body b;
    bool first = true;
    while (!diagnostics_.full()) {
      skip_newlines();
      if (at(Tok::End) || (braced && at(Tok::RBrace))) break;
      if (!braced && at(Tok::RBrace)) {
        diagnostics_.error(span(peek()), "unmatched `}`");
        next();
        continue;
      }
      const std::size_t start_line = first_line_from(peek().offset);
      const bool blank = (!first || !braced) && prev_line_ > 0 && blank_line_between(prev_line_, start_line);
      std::vector<std::string> leading = comments_with_blank_lines(peek().offset);
      StatementPtr s = statement();
      if (!s) continue;
      s->blank_before = blank;
      s->leading_comments.insert(s->leading_comments.begin(), leading.begin(), leading.end());
      b.statements.push_back(std::move(s));
      first = false;
    }
    const std::size_t end_offset = peek().offset;
    if (comment_ < comments_.size() && comments_[comment_].offset < end_offset)
      b.blank_before_end_comments = !first && blank_line_between(prev_line_, first_line_from(end_offset));
    b.end_comments = comments_with_blank_lines(end_offset);
    if (!b.end_comments.empty() && b.end_comments.back() == kBlankLine) b.end_comments.pop_back();
    return b;
  }

  StatementPtr statement() {
    const std::size_t depth_before = depth_, start = pos_;
    nodes_ = 0;
    try {
      StatementPtr s = statement_inner();
      // Statements end at a line break, a closing brace or the end of the file.
      if (!at(Tok::Newline) && !at(Tok::RBrace) && !at(Tok::End) && !peek().soft_break_before)
        fail(peek(), "expected end of line after the statement, found " + found());
      prev_line_ = line(tokens_[pos_ - 1]);  // the statement's last line
      // Comments inside a multi-line statement move before it; one on its last line trails it.
      while (comment_ < comments_.size() && comments_[comment_].offset < peek().offset &&
             source_->line_of(comments_[comment_].offset) != prev_line_)
        s->leading_comments.push_back(comments_[comment_++].text);
      s->trailing_comment = trailing_comment(peek().kind == Tok::Newline ? peek().offset : source_->text().size(),
                                             prev_line_);
      return s;
    } catch (const Abandon&) {
      depth_ = depth_before;
      recover(start);
      if (pos_ > 0) prev_line_ = line(tokens_[pos_ - 1]);
      comments_before(peek().offset);  // comments of a broken statement are dropped with it
      return nullptr;
    }
  }

  StatementPtr statement_inner() {
    auto s = std::make_unique<Statement>();
    const Token& first = peek();
    s->span = span(first);
    if (first.kind == Tok::Ident && peek(1).kind == Tok::Assign) check_not_keyword(first);
    if (first.kind == Tok::Ident && first.text == "include") {
      next();
      s->kind = Statement::Kind::Include;
      const Token& path = expect(Tok::String, "(the file to include, in quotes)");
      s->name = path.text;
      s->name_span = span(path);
      if (s->name.empty()) fail(path, "empty include path");
      return s;
    }
    if (first.kind == Tok::Ident && first.text == "shortcuts") {
      next();
      s->kind = Statement::Kind::Shortcuts;
      const Token& mode = expect(Tok::Ident, "(none, add_shortcuts or add_inputs)");
      s->name = mode.text;
      s->name_span = span(mode);
      while (at(Tok::Ident) && peek(1).kind == Tok::Assign) {
        Argument a;
        a.keyword = next().text;
        a.keyword_span = span(tokens_[pos_ - 1]);
        next();
        a.value = expression();
        s->arguments.push_back(std::move(a));
      }
      return s;
    }
    if (first.kind == Tok::Ident && first.text == "block") {
      next();
      s->kind = Statement::Kind::Block;
      const Token& name = expect(Tok::Ident, "(the block's name)");
      check_not_keyword(name);
      s->name = name.text;
      s->name_span = span(name);
      expect(Tok::LParen, "after the block's name");
      while (!at(Tok::RParen)) {
        Parameter p;
        const Token& pn = expect(Tok::Ident, "(a parameter name)");
        check_not_keyword(pn);
        p.name = pn.text;
        p.span = span(pn);
        if (at(Tok::Assign)) {
          next();
          p.default_value = expression();
        }
        s->parameters.push_back(std::move(p));
        if (!at(Tok::Comma)) break;
        next();
      }
      expect(Tok::RParen, "to close the parameter list");
      braced_body(*s);
      return s;
    }
    if (first.kind == Tok::Ident && first.text == "for") {
      next();
      s->kind = Statement::Kind::For;
      const Token& var = expect(Tok::Ident, "(the loop's index variable)");
      check_not_keyword(var);
      s->name = var.text;
      s->name_span = span(var);
      if (!at_word("in")) fail(peek(), "expected `in` after the loop variable, found " + found(), "write `for i in 1..4 { ... }`");
      next();
      s->value = expression();
      expect(Tok::DotDot, "between the first and last index");
      s->last = expression();
      braced_body(*s);
      return s;
    }
    if (first.kind == Tok::Ident && first.text == "return") {
      next();
      s->kind = Statement::Kind::Return;
      s->value = expression();
      return s;
    }
    if (first.kind == Tok::Ident && peek(1).kind == Tok::Assign) {
      next();
      next();
      s->kind = Statement::Kind::Assign;
      s->name = first.text;
      s->name_span = span(first);
      s->value = expression();
      return s;
    }
    if (first.kind == Tok::Ident && (first.text == "in" || first.text == "as"))
      fail(first, "`" + first.text + "` cannot start a statement");
    s->kind = Statement::Kind::Expression;
    s->value = expression();
    if (s->value->kind != Expr::Kind::Call && s->value->kind != Expr::Kind::Pipe)
      fail(first, "this expression does nothing on its own", "assign it to a name: `y = ...`");
    return s;
  }

  void braced_body(Statement& s) {
    // Refused before the `{` is taken, so that recovery skips the whole body.
    if (at(Tok::LBrace) && depth_ + 1 > limits_.max_nesting) too_deep(peek());
    const Token& open = expect(Tok::LBrace, "to open the body");
    ++depth_;
    s.body = body(/*braced=*/true);
    if (!at(Tok::RBrace)) {
      // At the end of the file, only the innermost unclosed brace is worth a message.
      if (at(Tok::End) && eof_reported_) throw Abandon{};
      eof_reported_ = at(Tok::End);
      fail(peek(), "expected `}` to close the body opened on line " + std::to_string(line(open)));
    }
    next();
    --depth_;
  }

  void check_not_keyword(const Token& t) {
    if (is_keyword(t.text)) fail(t, "`" + t.text + "` is a keyword and cannot be used as a name");
  }

  // --- expressions ----------------------------------------------------------
  // One level of Limits::max_nesting per opening bracket: a `(` (grouping, a tuple or a call's
  // argument list), a `{` (a block or loop body, or a piece of an `as` name). Only brackets
  // nest: operator chains and unary minus are parsed by loops, and bounded by kMaxNodes.
  [[noreturn]] void too_deep(const Token& at) {
    fail(at, "parentheses, calls and braces are nested deeper than " + std::to_string(limits_.max_nesting) + " levels",
         "each `(` and `{` counts one level (dsl::Limits::max_nesting); name the inner parts: `a = ...`");
  }
  struct Nest {
    Parser& p;
    explicit Nest(Parser& parser, const Token& at) : p(parser) {
      if (++p.depth_ > p.limits_.max_nesting) p.too_deep(at);
    }
    ~Nest() { --p.depth_; }
  };

  ExprPtr make(Expr::Kind kind, Span at) {
    if (++nodes_ > kMaxNodes)
      fail(peek(), "statement is too long (more than " + std::to_string(kMaxNodes) + " terms)", "split it into several statements");
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->span = at;
    return e;
  }

  ExprPtr expression() {
    ExprPtr left = additive();
    std::size_t chain = 0;
    while (at(Tok::Pipe)) {
      const Token& bar = next();
      if (++chain > kMaxChain) fail(bar, "expression chain is longer than " + std::to_string(kMaxChain));
      if (!at(Tok::Ident)) fail(peek(), "expected a layer after `|`, found " + found(), "for example `| relu` or `| dense(10)`");
      ExprPtr stage = name_or_call();
      auto pipe = make(Expr::Kind::Pipe, span_between(left->span, stage->span));
      pipe->operands.push_back(std::move(left));
      pipe->operands.push_back(std::move(stage));
      left = std::move(pipe);
    }
    return left;
  }

  ExprPtr binary(ExprPtr left, const Token& op, ExprPtr right) {
    auto e = make(Expr::Kind::Binary, span_between(left->span, right->span));
    e->text = op.text;
    e->operands.push_back(std::move(left));
    e->operands.push_back(std::move(right));
    return e;
  }

  ExprPtr additive() {
    ExprPtr left = multiplicative();
    std::size_t chain = 0;
    while (at(Tok::Plus) || at(Tok::Minus)) {
      const Token& op = next();
      if (++chain > kMaxChain) fail(op, "expression chain is longer than " + std::to_string(kMaxChain));
      left = binary(std::move(left), op, multiplicative());
    }
    return left;
  }

  ExprPtr multiplicative() {
    ExprPtr left = unary();
    std::size_t chain = 0;
    while (at(Tok::Star) || at(Tok::Slash) || at(Tok::Percent)) {
      const Token& op = next();
      if (++chain > kMaxChain) fail(op, "expression chain is longer than " + std::to_string(kMaxChain));
      left = binary(std::move(left), op, unary());
    }
    return left;
  }

  // unary = "-" unary | power ;  power = primary [ "^" unary ] : right associative, so
  // -2^-3^2 is -(2^(-(3^2))). Parsed as a run of (minus signs, primary) pieces joined by `^`
  // and folded from the right, without recursion.
  ExprPtr unary() {
    struct Piece {
      std::vector<std::size_t> minuses;  // token positions of the `-` before the primary
      ExprPtr primary;
      std::size_t caret = 0;  // the `^` after it, when there is one
    };
    std::vector<Piece> pieces;
    while (true) {
      Piece piece;
      while (at(Tok::Minus)) {
        piece.minuses.push_back(pos_);
        next();
      }
      piece.primary = primary();
      const bool more = at(Tok::Caret);
      if (more) {
        piece.caret = pos_;
        next();
      }
      pieces.push_back(std::move(piece));
      if (!more) break;
    }
    ExprPtr right;
    for (std::size_t i = pieces.size(); i-- > 0;) {
      Piece& p = pieces[i];
      ExprPtr e = std::move(p.primary);
      if (right) e = binary(std::move(e), tokens_[p.caret], std::move(right));
      for (std::size_t m = p.minuses.size(); m-- > 0;) {
        auto negate = make(Expr::Kind::Negate, span_between(span(tokens_[p.minuses[m]]), e->span));
        negate->operands.push_back(std::move(e));
        e = std::move(negate);
      }
      right = std::move(e);
    }
    return right;
  }

  ExprPtr primary() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::Int: {
        next();
        auto e = make(Expr::Kind::Int, span(t));
        e->integer = t.integer;
        return e;
      }
      case Tok::Real: {
        next();
        auto e = make(Expr::Kind::Real, span(t));
        e->real = t.real;
        e->text = t.text;
        return e;
      }
      case Tok::String: {
        next();
        auto e = make(Expr::Kind::String, span(t));
        e->text = t.text;
        return e;
      }
      case Tok::Ident:
        if (is_keyword(t.text) && t.text != "true" && t.text != "false")
          fail(t, "expected a value, found the keyword `" + t.text + "`");
        return name_or_call();
      case Tok::LParen: {
        const Token& open = next();
        Nest nest(*this, open);
        ExprPtr first = expression();
        if (!at(Tok::Comma)) {
          close(open, "of this parenthesis");
          first->span = span_between(span(open), span(tokens_[pos_ - 1]));
          return first;
        }
        auto tuple = make(Expr::Kind::Tuple, span(open));
        tuple->operands.push_back(std::move(first));
        while (at(Tok::Comma)) {
          next();
          if (tuple->operands.size() >= 16) fail(peek(), "a tuple has at most 16 elements");
          tuple->operands.push_back(expression());
        }
        close(open, "of this tuple");
        tuple->span = span_between(span(open), span(tokens_[pos_ - 1]));
        return tuple;
      }
      default:
        fail(t, "expected a value, found " + found());
    }
  }

  ExprPtr name_or_call() {
    const Token& name = next();
    if (is_keyword(name.text) && name.text != "true" && name.text != "false")
      fail(name, "expected a name, found the keyword `" + name.text + "`");
    if (!at(Tok::LParen)) {
      auto e = make(Expr::Kind::Name, span(name));
      e->text = name.text;
      optional_as(*e);
      return e;
    }
    const Token& open = next();
    Nest nest(*this, open);
    auto call = make(Expr::Kind::Call, span(name));
    call->text = name.text;
    call->name_span = span(name);
    while (!at(Tok::RParen)) {
      Argument a;
      if (at(Tok::Ident) && peek(1).kind == Tok::Assign) {
        a.keyword = peek().text;
        a.keyword_span = span(next());
        next();
      }
      a.value = expression();
      if (call->arguments.size() >= 64) fail(peek(), "a call has at most 64 arguments");
      call->arguments.push_back(std::move(a));
      if (!at(Tok::Comma)) break;
      next();
    }
    if (!at(Tok::RParen)) {
      if (at(Tok::End) || line(peek()) != line(tokens_[pos_ - 1])) close(open, "in the call of `" + name.text + "`");
      fail(peek(), "expected `,` or `)` in the call of `" + name.text + "`, found " + found(), "separate arguments with commas");
    }
    next();
    call->span = span_between(span(name), span(tokens_[pos_ - 1]));
    optional_as(*call);
    return call;
  }

  // `as stage{s}.block{b}`: pieces glued together without spaces.
  void optional_as(Expr& e) {
    if (!at_word("as")) return;
    const Token& as = next();
    const auto glued = [&] { return peek().offset == tokens_[pos_ - 1].offset + tokens_[pos_ - 1].length; };
    const std::size_t begin = peek().offset;
    bool expect_piece = true;
    // `fc.0.1` lexes as `fc`, `.`, `0.1`: a number with a fraction and no exponent is two
    // integer pieces and their dot here, as in torchvision's module names.
    const auto at_dotted_integers = [&] {
      if (!at(Tok::Real)) return false;
      const std::string& text = peek().text;
      const std::size_t dot = text.find('.');
      return dot != std::string::npos && text.find_first_not_of("0123456789.") == std::string::npos &&
             text.find('.', dot + 1) == std::string::npos;
    };
    if (!(at(Tok::Ident) || at(Tok::Int) || at(Tok::LBrace) || at_dotted_integers()))
      fail(peek(), "expected a layer name after `as`, found " + found(), "for example `as conv1` or `as stage{s}.block{b}`");
    while (true) {
      if (at(Tok::Ident) || at(Tok::Int) || at_dotted_integers()) {
        const Token& t = next();
        if (!e.as_name.empty() && !e.as_name.back().expr) e.as_name.back().text += t.text;
        else e.as_name.push_back({t.text, nullptr});
        expect_piece = false;
      } else if (at(Tok::LBrace)) {
        const Token& open = next();
        Nest nest(*this, open);
        NamePart part;
        part.expr = expression();
        expect(Tok::RBrace, "to close `{` in the layer name");
        e.as_name.push_back(std::move(part));
        expect_piece = false;
      } else if (at(Tok::Dot) && !expect_piece) {
        next();
        if (!e.as_name.empty() && !e.as_name.back().expr) e.as_name.back().text += ".";
        else e.as_name.push_back({".", nullptr});
        expect_piece = true;
      } else {
        break;
      }
      if (!glued()) break;
    }
    if (expect_piece) fail(peek(), "a layer name cannot end with `.`");
    e.as_span = {source_.get(), begin, tokens_[pos_ - 1].offset + tokens_[pos_ - 1].length - begin};
    (void)as;
  }

  SourcePtr source_;
  const Limits& limits_;
  Diagnostics& diagnostics_;
  std::vector<Token> tokens_;
  std::vector<Comment> comments_;
  std::size_t pos_ = 0, comment_ = 0, depth_ = 0, prev_line_ = 0, nodes_ = 0;
  bool eof_reported_ = false;
};

}  // namespace

bool is_keyword(std::string_view word) {
  return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

Program parse(SourcePtr source, const Limits& limits, Diagnostics& diagnostics) {
  if (!source->netdim_source()) {
    // Not a netdim file (a typo, or `include "/etc/shadow"`): one error, and nothing of its
    // text in any message: neither its lines nor the words a parse would quote.
    const std::size_t at = source->first_token_offset();
    const bool word = source->text().compare(at, 6, "netdim") == 0;
    diagnostics.error({source.get(), at, 1}, word ? "expected the language version after `netdim`" : "missing version line",
                      "a .net file starts with `netdim 1` (lines of other files are not shown)");
    Program p;
    p.source = std::move(source);
    p.version = 1;
    return p;
  }
  Parser parser(std::move(source), limits, diagnostics);
  return parser.program();
}

}  // namespace netdim::dsl
