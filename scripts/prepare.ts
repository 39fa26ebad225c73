// Checks the configuration, migrates and (sandbox mode) seeds, from the command line: `npm run dev` before Next's
// development server, and `npm start` before a build, so that a configuration error shows before minutes of building.
// The server itself does the same as it starts (lib/startup.ts).
import "./dotenv";
import { exitOnConfigError, prepare } from "@/lib/startup";

prepare()
  .then((env) => console.log(`Database ready at ${env.databasePath} (${env.mode} mode).`))
  .catch(exitOnConfigError);
