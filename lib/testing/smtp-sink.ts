// A real SMTP server in its own process (the smtp-server package) for integration tests: requires login as
// tester/secret, refuses recipients at refused.example (550) and busy.example (451), and prints each message it
// accepts as one JSON line on stdout ({"port"} first).
import { SMTPServer } from "smtp-server";

const server = new SMTPServer({
  authOptional: false,
  allowInsecureAuth: true,
  disabledCommands: ["STARTTLS"],
  onAuth(auth, _session, callback) {
    if (auth.username === "tester" && auth.password === "secret") callback(null, { user: "tester" });
    else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
  },
  onRcptTo(address, _session, callback) {
    if (address.address.endsWith("@refused.example")) return callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
    if (address.address.endsWith("@busy.example")) return callback(Object.assign(new Error("Try again later"), { responseCode: 451 }));
    callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      console.log(JSON.stringify({ from: session.envelope.mailFrom && session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), raw }));
      callback();
    });
  },
});

server.listen(0, "127.0.0.1", () => {
  const address = server.server.address();
  console.log(JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
