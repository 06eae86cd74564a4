/* astprint.c - prints syntax trees back as bash does for `declare -f` and
 * `type`: one command per line, four-space indentation, `name () ` header. */
#include "ast.h"

#include <string.h>

static void indent(StrBuf *o, int d) {
    for (int i = 0; i < d; i++) sb_puts(o, "    ");
}

static void print_node(StrBuf *o, const Node *n, int d);

static const char *redir_op(const Redir *r) {
    switch (r->op) {
    case R_IN: return "<";
    case R_OUT: return ">";
    case R_APPEND: return ">>";
    case R_CLOBBER: return ">|";
    case R_RDWR: return "<>";
    case R_DUPIN: return "<&";
    case R_DUPOUT: return ">&";
    case R_ALL: return "&>";
    case R_ALL_APPEND: return "&>>";
    case R_HEREDOC: return "<<";
    case R_HERESTR: return "<<<";
    }
    return "";
}

static void print_redirs(StrBuf *o, const Redir *r) {
    for (; r; r = r->next) {
        sb_putc(o, ' ');
        if (r->fd >= 0) sb_printf(o, "%d", r->fd);
        if (r->fd_var) sb_printf(o, "{%s}", r->fd_var);
        sb_puts(o, redir_op(r));
        if (r->op == R_HEREDOC) {
            sb_puts(o, " EOF\n");
            sb_puts(o, r->target);
            sb_puts(o, "EOF");
        } else {
            if (r->op != R_DUPIN && r->op != R_DUPOUT) sb_putc(o, ' ');
            sb_puts(o, r->target);
        }
    }
}

/* Prints a list body, one command a line. bash ends every command inside
 * if/while/for bodies with ';' (semi_last), but not the last one of a
 * function body or a case item. */
static void print_body_semi(StrBuf *o, const Node *n, int d, bool semi_last) {
    if (!n) return;
    if (n->kind == N_LIST) {
        for (int i = 0; i < n->u.list.n; i++) {
            indent(o, d);
            print_node(o, n->u.list.items[i], d);
            if (n->u.list.bg[i]) sb_puts(o, " &");
            sb_puts(o, i + 1 < n->u.list.n || semi_last ? ";\n" : "\n");
        }
        return;
    }
    indent(o, d);
    print_node(o, n, d);
    sb_puts(o, semi_last ? ";\n" : "\n");
}

static void print_body(StrBuf *o, const Node *n, int d) { print_body_semi(o, n, d, true); }

static void print_cond(StrBuf *o, const CondNode *c) {
    switch (c->kind) {
    case C_AND: print_cond(o, c->l); sb_puts(o, " && "); print_cond(o, c->r); break;
    case C_OR: print_cond(o, c->l); sb_puts(o, " || "); print_cond(o, c->r); break;
    case C_NOT: sb_puts(o, "! "); print_cond(o, c->l); break;
    case C_UNARY: sb_printf(o, "%s %s", c->op, c->a); break;
    case C_BINARY: sb_printf(o, "%s %s %s", c->a, c->op, c->b); break;
    case C_WORD: sb_printf(o, "-n %s", c->a); break; /* bash prints [[ x ]] as [[ -n x ]] */
    }
}

static void print_node(StrBuf *o, const Node *n, int d) {
    switch (n->kind) {
    case N_SIMPLE:
        for (int i = 0; i < n->u.simple.nassigns; i++) {
            if (i) sb_putc(o, ' ');
            sb_puts(o, n->u.simple.assigns[i]);
        }
        for (int i = 0; i < n->u.simple.nwords; i++) {
            if (i || n->u.simple.nassigns) sb_putc(o, ' ');
            sb_puts(o, n->u.simple.words[i]);
        }
        print_redirs(o, n->redirs);
        return;
    case N_PIPELINE:
        if (n->u.pipe.bang) sb_puts(o, "! ");
        for (int i = 0; i < n->u.pipe.n; i++) {
            if (i) sb_puts(o, n->u.pipe.stderr_too[i - 1] ? " |& " : " | ");
            print_node(o, n->u.pipe.cmds[i], d);
        }
        return;
    case N_AND: case N_OR:
        print_node(o, n->u.andor.l, d);
        sb_puts(o, n->kind == N_AND ? " && " : " || ");
        print_node(o, n->u.andor.r, d);
        return;
    case N_LIST:
        for (int i = 0; i < n->u.list.n; i++) {
            if (i) sb_puts(o, n->u.list.bg[i - 1] ? " & " : "; ");
            print_node(o, n->u.list.items[i], d);
        }
        if (n->u.list.n && n->u.list.bg[n->u.list.n - 1]) sb_puts(o, " &");
        return;
    case N_GROUP:
        sb_puts(o, "{ \n");
        print_body_semi(o, n->u.group.body, d + 1, false);
        indent(o, d);
        sb_putc(o, '}');
        break;
    case N_SUBSHELL:
        sb_puts(o, "( ");
        print_node(o, n->u.group.body, d);
        sb_puts(o, " )");
        break;
    case N_IF:
        sb_puts(o, "if ");
        print_node(o, n->u.ifn.cond, d);
        sb_puts(o, "; then\n");
        print_body(o, n->u.ifn.then, d + 1);
        for (const Node *e = n->u.ifn.els; e;) {
            indent(o, d);
            if (e->kind == N_IF && !e->redirs) {
                sb_puts(o, "elif ");
                print_node(o, e->u.ifn.cond, d);
                sb_puts(o, "; then\n");
                print_body(o, e->u.ifn.then, d + 1);
                e = e->u.ifn.els;
                continue;
            }
            sb_puts(o, "else\n");
            print_body(o, e, d + 1);
            break;
        }
        indent(o, d);
        sb_puts(o, "fi");
        break;
    case N_WHILE: case N_UNTIL:
        sb_puts(o, n->kind == N_WHILE ? "while " : "until ");
        print_node(o, n->u.loop.cond, d);
        sb_puts(o, "; do\n");
        print_body(o, n->u.loop.body, d + 1);
        indent(o, d);
        sb_puts(o, "done");
        break;
    case N_FOR: case N_SELECT:
        sb_printf(o, "%s %s", n->kind == N_FOR ? "for" : "select", n->u.forn.var);
        if (n->u.forn.has_in) {
            sb_puts(o, " in");
            for (int i = 0; i < n->u.forn.nwords; i++) { sb_putc(o, ' '); sb_puts(o, n->u.forn.words[i]); }
        }
        sb_puts(o, ";\n");
        indent(o, d);
        sb_puts(o, "do\n");
        print_body(o, n->u.forn.body, d + 1);
        indent(o, d);
        sb_puts(o, "done");
        break;
    case N_ARITH_FOR:
        sb_printf(o, "for ((%s; %s; %s))\n", n->u.afor.init, n->u.afor.cond, n->u.afor.step);
        indent(o, d);
        sb_puts(o, "do\n");
        print_body(o, n->u.afor.body, d + 1);
        indent(o, d);
        sb_puts(o, "done");
        break;
    case N_CASE:
        sb_printf(o, "case %s in \n", n->u.casen.word);
        for (int i = 0; i < n->u.casen.nitems; i++) {
            const CaseItem *it = &n->u.casen.items[i];
            indent(o, d + 1);
            for (int k = 0; k < it->npatterns; k++) {
                if (k) sb_puts(o, " | ");
                sb_puts(o, it->patterns[k]);
            }
            sb_puts(o, ")\n");
            print_body_semi(o, it->body, d + 2, false);
            indent(o, d + 1);
            sb_puts(o, it->term == 0 ? ";;\n" : it->term == 1 ? ";&\n" : ";;&\n");
        }
        indent(o, d);
        sb_puts(o, "esac");
        break;
    case N_ARITH:
        sb_printf(o, "((%s))", n->u.arith.expr);
        break;
    case N_COND:
        sb_puts(o, "[[ ");
        print_cond(o, n->u.cond.expr);
        sb_puts(o, " ]]");
        break;
    case N_FUNCDEF:
        ast_print_function(o, n->u.func.name, n->u.func.body);
        return;
    case N_COPROC:
        sb_puts(o, "coproc ");
        print_node(o, n->u.coproc.body, d);
        break;
    }
    print_redirs(o, n->redirs);
}

void ast_print_command(StrBuf *out, const Node *n) { print_node(out, n, 0); }

void ast_print_function(StrBuf *out, const char *name, const Node *body) {
    sb_printf(out, "%s () \n", name);
    if (body->kind == N_GROUP) {
        sb_puts(out, "{ \n");
        print_body_semi(out, body->u.group.body, 1, false);
        sb_putc(out, '}');
        print_redirs(out, body->redirs);
    } else {
        print_node(out, body, 0);
    }
    sb_putc(out, '\n');
}
