#!/usr/bin/env bash
# Every check id the validator's code can report is in the check table (author/validate/checks.c,
# printed by `postcard validate --list-checks`) and every row of the table is reported
# somewhere: the table is the whole list, with a level for each id. The ids are read from the
# sources (the package reader and the validator): the string given as the check argument of
# every call that reports (vreport, diag_line, diag_at, manifest_report, check_file_exists) and
# the ids of check_lms.c's table of facts. A call that passes the id on from a variable must be
# one of the forwarding places listed below.
#   usage: cli_check_ids.sh POSTCARD SOURCE_DIR
set -u
bin=$1
src=$2
table=$("$bin" validate --list-checks | awk '/^  [a-z]/ { print $1 }' | sort -u)
[ -n "$table" ] || { echo "FAIL: 'postcard validate --list-checks' printed no check"; exit 1; }
# file:expression of the calls that forward an id they were given (each checked where it comes from)
forwarding='manifest.c:check
check_util.c:check
validate.c:check
validate.c:d->check
check_lms.c:facts[i].check'
scan=$(perl -e '
	my %argpos = (vreport => 2, diag_line => 5, diag_at => 4, manifest_report => 4,
		      check_file_exists => 3);
	# The id argument: a literal, or "cond ? A : B" of literals; a variable assigned in the same
	# file is followed to its initializer, anything else is a forwarding place.
	sub branches {
		my ($s, $base, $expr, $seen) = @_;
		my @parts = split /[?:]/, $expr;
		shift @parts if @parts > 1; # the condition
		for my $p (@parts) {
			$p =~ s/^\s+|\s+$//g;
			if ($p =~ /^"([^"]*)"$/) { print "id $1 $base\n"; }
			elsif ($p eq "NULL") { }
			elsif (!$seen && $p =~ /^\w+$/ && $s =~ /\bconst char \*\Q$p\E = ([^;]*);/) {
				branches($s, $base, $1, 1);
			} else { print "forward $base:$p\n"; }
		}
	}
	for my $file (@ARGV) {
		open my $fh, "<", $file or die "$file: $!";
		local $/; my $s = <$fh>; close $fh;
		(my $base = $file) =~ s{.*/}{};
		$s =~ s{/\*.*?\*/}{ }gs;           # comments
		$s =~ s{^\s*#.*$}{}mg;             # preprocessor lines (prototypes in macros)
		# the ids of check_lms.c: {VALIDATE_LMS_X, "id", ...}
		while ($s =~ /\{\s*VALIDATE_LMS_\w+\s*,\s*"([^"]*)"/g) { print "id $1 $base\n"; }
		while ($s =~ /\b(vreport|diag_line|diag_at|manifest_report|check_file_exists)\s*\(/g) {
			my ($fn, $i, $depth, $cur) = ($1, pos($s), 1, "");
			my @args;
			# a declaration or definition (a type before the name) is not a call
			my $before = substr($s, 0, $-[0]);
			next if $before =~ /(?:void|int|static)\s*\**\s*$/;
			while ($depth > 0 && $i < length $s) {
				my $ch = substr($s, $i, 1);
				if ($ch eq "\"") {          # a string literal, escapes included
					my $j = $i + 1;
					while ($j < length $s && substr($s, $j, 1) ne "\"") { $j += substr($s, $j, 1) eq "\\" ? 2 : 1; }
					$cur .= substr($s, $i, $j - $i + 1); $i = $j + 1; next;
				}
				$depth++ if $ch eq "(" || $ch eq "[" || $ch eq "{";
				$depth-- if $ch eq ")" || $ch eq "]" || $ch eq "}";
				if (($ch eq "," && $depth == 1) || $depth == 0) { push @args, $cur; $cur = ""; }
				else { $cur .= $ch; }
				$i++;
			}
			branches($s, $base, $args[$argpos{$fn}] // "");
		}
	}' "$src"/author/package/*.c $(ls "$src"/author/validate/*.c | grep -v '/checks\.c$') \
	"$src"/cli/cmd_validate.c "$src"/cli/cmd_import.c)
failed=0
emitted=$(printf '%s\n' "$scan" | awk '$1 == "id" { print $2 }' | sort -u)
[ "$(printf '%s\n' "$emitted" | wc -l)" -gt 50 ] || { echo "FAIL: the scan found too few ids:"; printf '%s\n' "$scan"; exit 1; }
for id in $(comm -23 <(printf '%s\n' "$emitted") <(printf '%s\n' "$table")); do
	echo "FAIL: '$id' is reported ($(printf '%s\n' "$scan" | awk -v id="$id" '$1 == "id" && $2 == id { print $3 }' | sort -u | tr '\n' ' '| sed 's/ $//')) but is not in the check table (author/validate/checks.c)"
	failed=1
done
for id in $(comm -13 <(printf '%s\n' "$emitted") <(printf '%s\n' "$table")); do
	echo "FAIL: the check table lists '$id' but no code reports it"
	failed=1
done
while read -r site; do
	if ! printf '%s\n' "$forwarding" | grep -qxF -- "$site"; then
		echo "FAIL: $site reports an id from a variable: add it to this test's forwarding list once its ids are scanned"
		failed=1
	fi
done < <(printf '%s\n' "$scan" | awk '$1 == "forward" { print $2 }' | sort -u)
[ "$failed" = 0 ] && echo "every id reported is in the check table, and every row is reported ($(printf '%s\n' "$emitted" | wc -l) ids)"
[ "$failed" = 0 ]
