//! The command line: subcommands, arguments and their help text (DESIGN §3.4).

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::raw_request::{DEFAULT_MAX_BODY, MAX_HEAD};

const AFTER_HELP: &str = "\
OUTPUT
    One JSON object on stdout (sign-request and sign-proof print the signed message instead).
    Errors are {\"kind\", \"message\", \"at\"}: kind is the library's stable snake_case code,
    at is a header name, a JSON Pointer, an argument or a file.

EXIT STATUS
    0  valid: verified, no problems, accepted
    1  invalid: verification failed, problems found, Move rejected or held
    2  usage error, I/O error, or input that is not the expected format at all

TIME
    Every subcommand that depends on the clock takes --now UNIX-SECONDS; without it the
    system clock is read.";

/// Verify and inspect fediverse account migrations: HTTP signatures, actors and Move
/// activities, FEP-8b32 proofs and persona graphs. A verdict oracle for test suites in any
/// language.
#[derive(Debug, Parser)]
#[command(name = "fep7628", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify the HTTP signature (draft-cavage-12 or RFC 9421) of a raw HTTP/1.1 request.
    #[command(
        long_about = "Verify the HTTP signature of a raw HTTP/1.1 request (CRLF or LF line \
endings; the body is Content-Length bytes after the empty line, or everything after it when \
there is no Content-Length). The scheme is detected: Signature-Input present means RFC 9421, \
else Signature or Authorization: Signature means draft-cavage-12.\n\n\
The one key given (PEM SPKI/PKCS#1/PKCS#8, a private PEM whose public half is used, a \
Multikey, a public JWK, or a JSON object with publicKeyPem/publicKeyMultibase) answers for whatever key id \
the request names, unless --key-id requires a specific one (then any other id is unknown_key). \
The algorithm always comes from the key, never from the message.\n\n\
Output: {\"valid\", \"scheme\", \"key_id\", \"algorithm\", \"covered\", \"created\", \"error\"}.",
        after_help = "EXAMPLE\n    fep7628 verify-request --key alice.pub.pem --key-id \
'https://remote.example/users/alice#main-key' \\\n        --now 1764547200 --profile mastodon request.http"
    )]
    VerifyRequest(VerifyRequestArgs),
    /// Sign a raw HTTP/1.1 request and print it with the signature headers added.
    #[command(
        long_about = "Sign a raw HTTP/1.1 request and print it: the input head byte for byte, \
then the added header lines (Host, Date, Digest or Content-Digest when missing, then the \
signature fields) in the input's line-ending style, the empty line and the body.\n\n\
cavage signs like Mastodon ((request-target) host date digest content-type; rsa-sha256 for RSA \
keys, hs2019 for Ed25519); rfc9421 covers @method @target-uri content-digest content-type with \
created, keyid and alg.",
        after_help = "EXAMPLE\n    fep7628 sign-request --key alice.priv.pem --key-id \
'https://remote.example/users/alice#main-key' \\\n        --scheme rfc9421 --now 1764547200 request.http > signed.http"
    )]
    SignRequest(SignRequestArgs),
    /// Show what the library read from an actor or activity, in whatever JSON-LD form.
    #[command(
        long_about = "Show what the library read from an actor or an activity, whatever JSON-LD \
form the document used (compact, expanded, compact IRIs, full IRIs): id; type (short name); \
for actors movedTo (string or null), copiedTo and alsoKnownAs (arrays), inbox, sharedInbox, \
followers, publicKey ids, manuallyApprovesFollowers, tombstone; for activities actor, object \
and target ids and the Move mode. context.verdict is \"ok\" (the context guard's fast path), \
\"jsonld\" (the guard declined and real JSON-LD expansion read it; context.error says why the \
guard declined) or \"rejected\" (context.error has the kind and the JSON Pointer).",
        after_help = "EXAMPLE\n    fep7628 inspect actor.json"
    )]
    Inspect(InspectArgs),
    /// List every problem of an actor or activity, each with its JSON Pointer.
    #[command(
        long_about = "Validate an actor or an activity against the FEP-7628 and FEP-e965 rules \
(Move shape and mode, movedTo/copiedTo, Tombstone, http(s) references, key owners, limits). \
Output: {\"valid\", \"family\", \"problems\": [{\"kind\", \"message\", \"at\", \"severity\", \
\"rule\"}]}. valid is false (exit 1) when any problem has severity error; warnings are listed \
but do not invalidate.",
        after_help = "EXAMPLE\n    fep7628 validate --signer https://old.example/users/alice move.json"
    )]
    Validate(ValidateArgs),
    /// Run the receiver's Move pipeline over supplied documents: accept, hold or reject.
    #[command(
        long_about = "Run the receiver's verification pipeline (FEP-7628 inbound) over a Move \
and the two actor documents, as a follower's server would: signer = actor, push (actor == \
object) or pull (actor == target), not a self-move, the target aliases the origin, the target \
has not moved on, no loop. The pipeline's fetches of the origin and target are answered from \
the files (matched by id; any other URL is not found); its questions about local state are \
answered with an empty store (nothing recorded, nothing blocked).\n\n\
The signer (default: the Move's actor) is taken as the authenticated HTTP signer. A FEP-8b32 \
proof on the Move is verified against the supplied actors and takes precedence. Pull-mode Moves \
are accepted only with the old side's evidence: the origin document naming the target \
(alsoKnownAs, movedTo, copiedTo), a proof by the origin's key, or a shared verified FEP-c390 \
identity.\n\n\
Output: {\"valid\", \"verdict\", \"reason\": {\"kind\", \"message\", \"at\"}, \"mode\", \
\"origin\", \"target\", \"signer\", \"migration_id\", \"retryable\", \"fetched\", \"proof\"}.",
        after_help = "EXAMPLE\n    fep7628 check-move --move move.json --origin old-actor.json \
--target new-actor.json --now 1764547200"
    )]
    CheckMove(CheckMoveArgs),
    /// Add a FEP-8b32 integrity proof (eddsa-jcs-2022) to a JSON object.
    #[command(
        long_about = "Sign a JSON object with an Ed25519 key (PKCS#8 PEM or a Multikey secret \
z3u2…): adds an eddsa-jcs-2022 DataIntegrityProof with proofPurpose assertionMethod and \
created = --now. Prints the signed object.",
        after_help = "EXAMPLE\n    fep7628 sign-proof --key ed25519.priv.pem --verification-method \
'https://old.example/users/alice#ed25519-key' \\\n        --now 1764547200 move.json > signed-move.json"
    )]
    SignProof(SignProofArgs),
    /// Verify the FEP-8b32 integrity proof of a JSON object.
    #[command(
        long_about = "Verify the FEP-8b32 integrity proof of a JSON object. With --actor, the \
full check: the verification method must be listed in the actor's assertionMethod with \
controller == the actor, and the actor must own the object. With --key, only the signature is \
checked (you vouch for the key). Output: {\"valid\", \"verification_method\", \"actor\", \
\"cryptosuite\", \"created\", \"error\"}.",
        after_help = "EXAMPLE\n    fep7628 verify-proof --actor alice.json signed-move.json"
    )]
    VerifyProof(VerifyProofArgs),
    /// Build the persona graph from actor documents.
    #[command(
        long_about = "Build the persona graph from actor documents: their alsoKnownAs, movedTo \
and copiedTo claims and verified FEP-c390 identity proofs. Each file is taken as fetched from \
its own id. Prints personas (members, the links that join them with their evidence, the \
primary actor: the member without movedTo), one-way claims that linked nothing (declared), \
ignored self-claims, hubs, and per-file errors.",
        after_help = "EXAMPLE\n    fep7628 persona old-actor.json new-actor.json"
    )]
    Persona(PersonaArgs),
    /// Screen a Mastodon account archive or an outbox for import: provenance and policy.
    #[command(
        long_about = "Screen the posts of a Mastodon account archive (zip with actor.json, \
outbox.json, likes.json, bookmarks.json, media_attachments/) or of a plain ActivityStreams \
outbox (JSON OrderedCollection or OrderedCollectionPage) before importing them. Each post gets a \
provenance status (verified: a FEP-8b32 proof by the archive actor's key verifies; unverified: \
no proof; invalid: a proof that fails or names another key or actor) and a status from the \
[import] table of the policy file: accept, hold or reject, with the rules that decided. The \
outbox is streamed: memory stays bounded whatever the number of posts.\n\n\
Prints the JSON screening report (totals, per status, provenance, rule and month, and the held \
and rejected items with their reasons, at most --max-listed of them). --html writes the human \
report, a self-contained HTML page. Exit 0 when nothing is held or rejected, 1 otherwise, 2 on \
usage, I/O or format errors (not a zip, a zip bomb, an unsafe entry name, an outbox that is not \
a JSON collection, an invalid policy: the error names the line and column).",
        after_help = "EXAMPLE\n    fep7628 screen-archive archive-20251201.zip --policy policy.toml \\\n        --html report.html --now 1764547200"
    )]
    ScreenArchive(ScreenArchiveArgs),
    /// Shared signals: export decisions as signed FIRES change records, verify such batches.
    #[command(
        after_help = "EXAMPLE\n    fep7628 signals export --key server.priv.pem --issuer \
https://mod.example/actor --audit audit.jsonl > batch.json\n    \
fep7628 signals verify --actor mod-actor.json batch.json"
    )]
    Signals(crate::signals::SignalsArgs),
    /// Check a moderation policy file (TOML) and the blocklists it names.
    #[command(
        long_about = "Parse and check a moderation policy file (TOML, version 1: domain_blocks, \
rate_limits, surge, keyword_rules, account_age, follower_farming; the import table is reserved \
and skipped) and every blocklist it names (read relative to the policy file). Output: \
{\"valid\", \"policies\": [one summary per configured policy], \"error\": {\"kind\", \
\"message\", \"at\": \"line L, column C\" or \"PATH: line N\" for a blocklist}}. See the crate \
README, section \"Moderation policy file\".",
        after_help = "EXAMPLE\n    fep7628 validate-policy policy.toml"
    )]
    ValidatePolicy(crate::policy::ValidatePolicyArgs),
    /// Print the manual page (roff) of the tool or of one subcommand.
    #[command(
        after_help = "EXAMPLE\n    fep7628 man > fep7628.1 && man ./fep7628.1\n    \
fep7628 man verify-request > fep7628-verify-request.1"
    )]
    Man(ManArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "EXAMPLE\n    fep7628 completions bash > /etc/bash_completion.d/fep7628"
    )]
    Completions(CompletionsArgs),
}

/// Verification profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// Mastodon parity: ±65 min window, expires honoured, hs2019, path-only retry.
    Mastodon,
    /// Strict: 5 min window (1 min future skew), strict coverage.
    Strict,
    /// Only for replaying published vectors: no coverage rule, no time window. Never for servers.
    TestVectors,
}

/// Signature scheme to sign with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignScheme {
    /// draft-cavage-http-signatures-12, the way Mastodon signs.
    Cavage,
    /// RFC 9421 HTTP Message Signatures.
    Rfc9421,
}

/// Arguments of `verify-request`.
#[derive(Debug, Args)]
pub struct VerifyRequestArgs {
    /// The verification key file (PEM, Multikey, or JSON with publicKeyPem/publicKeyMultibase).
    #[arg(long, value_name = "PEM")]
    pub key: String,
    /// Require this key id; any other key id in the request is unknown_key.
    #[arg(long, value_name = "URL")]
    pub key_id: Option<String>,
    /// The verifier's clock, Unix seconds (default: the system clock).
    #[arg(long, value_name = "UNIX", allow_hyphen_values = true)]
    pub now: Option<i64>,
    /// Override the profile's maximum signature age, in seconds.
    #[arg(long, value_name = "S")]
    pub max_age: Option<i64>,
    /// Verification profile.
    #[arg(long, value_enum, default_value_t = Profile::Mastodon)]
    pub profile: Profile,
    /// Maximum request head (request line and fields), bytes (at most the default).
    #[arg(long, value_name = "BYTES", default_value_t = MAX_HEAD)]
    pub max_head: usize,
    /// Maximum body, bytes; a larger body is body_too_large.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY)]
    pub max_body: usize,
    /// The raw request file, or - for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: String,
}

/// Arguments of `sign-request`.
#[derive(Debug, Args)]
pub struct SignRequestArgs {
    /// The signing key file (PEM PKCS#1/PKCS#8, or an Ed25519 Multikey secret).
    #[arg(long, value_name = "PEM")]
    pub key: String,
    /// The key id to put in the signature (the actor's key URL).
    #[arg(long, value_name = "URL")]
    pub key_id: String,
    /// Signature scheme.
    #[arg(long, value_enum, default_value_t = SignScheme::Cavage)]
    pub scheme: SignScheme,
    /// The signer's clock, Unix seconds (default: the system clock).
    #[arg(long, value_name = "UNIX", allow_hyphen_values = true)]
    pub now: Option<i64>,
    /// Maximum request head, bytes (at most the default).
    #[arg(long, value_name = "BYTES", default_value_t = MAX_HEAD)]
    pub max_head: usize,
    /// Maximum body, bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BODY)]
    pub max_body: usize,
    /// The raw request file, or - for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: String,
}

/// Arguments of `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Do not fall back to JSON-LD expansion where the context guard declines.
    #[arg(long)]
    pub no_jsonld: bool,
    /// The JSON document, or - for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: String,
}

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The authenticated signer of an activity (adds the signer == actor rule).
    #[arg(long, value_name = "ID")]
    pub signer: Option<String>,
    /// Do not fall back to JSON-LD expansion where the context guard declines.
    #[arg(long)]
    pub no_jsonld: bool,
    /// The JSON document, or - for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: String,
}

/// Arguments of `check-move`.
#[derive(Debug, Args)]
pub struct CheckMoveArgs {
    /// The Move activity.
    #[arg(long = "move", value_name = "F")]
    pub move_file: String,
    /// The old account's actor document (the Move's object).
    #[arg(long, value_name = "F")]
    pub origin: String,
    /// The new account's actor document (the Move's target), as fetched fresh.
    #[arg(long, value_name = "F")]
    pub target: String,
    /// The authenticated HTTP signer's actor id (default: the Move's actor).
    #[arg(long, value_name = "ID")]
    pub signer: Option<String>,
    /// The receiver's clock, Unix seconds (default: the system clock).
    #[arg(long, value_name = "UNIX", allow_hyphen_values = true)]
    pub now: Option<i64>,
}

/// Arguments of `sign-proof`.
#[derive(Debug, Args)]
pub struct SignProofArgs {
    /// The Ed25519 signing key (PKCS#8 PEM or a Multikey secret).
    #[arg(long, value_name = "PEM")]
    pub key: String,
    /// The verification method (key id) listed in the actor's assertionMethod.
    #[arg(long, value_name = "URL")]
    pub verification_method: String,
    /// The proof's created time, Unix seconds (default: the system clock).
    #[arg(long, value_name = "UNIX", allow_hyphen_values = true)]
    pub now: Option<i64>,
    /// The JSON object to sign, or - for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: String,
}

/// Arguments of `verify-proof`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("by").required(true).args(["key", "actor"])))]
pub struct VerifyProofArgs {
    /// An Ed25519 public key (SPKI PEM or Multikey): check the signature only.
    #[arg(long, value_name = "PEM")]
    pub key: Option<String>,
    /// The owner's actor document: the full FEP-8b32 check.
    #[arg(long, value_name = "F")]
    pub actor: Option<String>,
    /// The signed JSON object, or - for stdin.
    #[arg(value_name = "FILE|-")]
    pub file: String,
}

/// Arguments of `persona`.
#[derive(Debug, Args)]
pub struct PersonaArgs {
    /// Actor documents.
    #[arg(value_name = "F", required = true)]
    pub files: Vec<String>,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand (default: the tool's own page).
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

/// Arguments of `screen-archive`.
#[derive(Debug, Args)]
pub struct ScreenArchiveArgs {
    /// The Mastodon archive (zip) or outbox (JSON) file.
    #[arg(value_name = "ARCHIVE")]
    pub archive: String,
    /// The policy file (TOML); only its [import] table is read.
    #[arg(long, value_name = "FILE")]
    pub policy: String,
    /// Also write the JSON report to this file.
    #[arg(long, value_name = "OUT")]
    pub json: Option<String>,
    /// Write the HTML report to this file.
    #[arg(long, value_name = "OUT")]
    pub html: Option<String>,
    /// For a plain outbox: the owner's actor document, to verify proofs and authorship.
    #[arg(long, value_name = "F")]
    pub actor: Option<String>,
    /// The screening time, Unix seconds (default: the system clock).
    #[arg(long, value_name = "UNIX", allow_hyphen_values = true)]
    pub now: Option<i64>,
    /// Most held or rejected items listed in the reports (the rest are counted).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_listed: usize,
}
