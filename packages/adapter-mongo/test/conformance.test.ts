import {
  type ConformanceStore,
  type ConformanceTarget,
  runConformanceSuite,
  skipUnlessAvailable,
} from '@state-connector/conformance';
import { MongoClient } from 'mongodb';
import { createMongoStateConnector } from '../dist/index.js';
import { chooseMongoServer, uniqueDatabase, useMongoServer } from './mongo-server.js';

const adapterModule = new URL('../dist/index.js', import.meta.url).href;

function mongoTarget(server: { readonly url: string }): ConformanceTarget {
  return {
    name: 'mongo',
    async setup(): Promise<ConformanceStore> {
      const url = server.url;
      const database = uniqueDatabase('conformance');

      // countRows must work right after setup, so the indexes are created here once.
      const first = createMongoStateConnector({ url, database });
      await first.migrate();
      await first.close();

      const admin = new MongoClient(url);
      const db = admin.db(database);
      return {
        connect: () => createMongoStateConnector({ url, database }),
        processTarget: {
          module: adapterModule,
          exportName: 'createMongoStateConnector',
          options: { url, database },
        },
        async writeRawState(objectId, storedName, text) {
          await db
            .collection('object_state')
            .updateOne(
              { objectid: objectId, name: storedName },
              { $set: { value_json: text } },
              { upsert: true },
            );
        },
        async countRows() {
          const [objects, state] = await Promise.all([
            db.collection('objects').countDocuments(),
            db.collection('object_state').countDocuments(),
          ]);
          return { objects, state };
        },
        async teardown() {
          try {
            await db.dropDatabase();
          } finally {
            await admin.close();
          }
        },
      };
    },
  };
}

const choice = chooseMongoServer();
if (choice.kind === 'none') {
  skipUnlessAvailable('mongo', 'MONGODB_URL', choice.reason);
} else {
  runConformanceSuite(mongoTarget(useMongoServer(choice)));
}
