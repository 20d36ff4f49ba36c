// Extension-tests entry for `npm run bench`: what one appended page costs the running extension, in the
// worst case. Everything the extension wires to its store is attached (status groups, tree, status bar,
// live-status poller, switched on), every status group is expanded, and for each change the tree
// announces, this does what VS Code's TreeView then asks of the provider: the TreeItem of the announced
// row, and the children, with their TreeItems, of it and of every expanded row below it (the whole tree
// for the root). Pages come from memory, parsed as the client parses a response: no network in the figure.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import { parseBatchPage } from '../../src/core/batchPage';
import type { BatchListSource } from '../../src/core/batchStore';
import type { BatchesExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/treeNodes';
import { generateDataset } from '../fake-openai/dataset';
import { FakeOpenAI } from '../fake-openai/server';
import { connectTo, disconnect } from '../integration/support';

const PAGES = 100;
const PAGE_SIZE = 100;
/** Pages averaged at each end for the growth figure. */
const ENDS = 10;
/**
 * Passes that count, each loading every page into an emptied store. A page's figure is its median over
 * the passes: on a shared machine a page now and then waits for a core far longer than it works.
 */
const PASSES = 5;

export async function run(): Promise<void> {
  console.log(`VS Code ${vscode.version} (extension host Node ${process.version})`);
  const api = await vscode.extensions.getExtension<BatchesExtensionApi>(EXTENSION_ID)!.activate();
  // A connected account, as a user has one (the tree shows nothing without); its pages are replaced below.
  const fake = await FakeOpenAI.start();
  try {
    await connectTo(api, fake, { pageSize: PAGE_SIZE });
    const source = pagesInMemory();
    const announced: (TreeNode | undefined)[] = [];
    const listener = api.tree.onDidChangeTreeData((e) => announced.push(...(Array.isArray(e) ? e : [e])));
    api.poller.setEnabled(true);
    try {
      // A first pass warms the JIT up, so that the early pages are not the slow ones for that reason; its
      // garbage is collected before the passes that count, which then pay for their own collections only.
      await loadAll(api, source, announced);
      collectGarbage();
      const passes: number[][] = [];
      for (let i = 0; i < PASSES; i++) passes.push(await loadAll(api, source, announced));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const pages = passes[0].map((_, page) => median(passes.map((times) => times[page])));
      const [first, last] = [mean(pages.slice(0, ENDS)), mean(pages.slice(-ENDS))];
      // Also the plain mean of every page of every pass, waits and collections included.
      const everything = mean(passes.flat());
      console.log(`BENCH perPageMs=${mean(pages).toFixed(3)} perPageGrowth=${(last / first).toFixed(2)} firstPagesMs=${first.toFixed(3)} lastPagesMs=${last.toFixed(3)} allPagesMeanMs=${everything.toFixed(3)}`);
    } finally {
      api.poller.setEnabled(false);
      listener.dispose();
    }
  } finally {
    await disconnect();
    await fake.close();
  }
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** 100 pages of 100 batches, serialized once, served by cursor as the API serves them. */
function pagesInMemory(): BatchListSource {
  const { batches } = generateDataset({ count: PAGES * PAGE_SIZE, seed: 42 });
  const pages = new Map<string, string>();
  for (let i = 0; i < batches.length; i += PAGE_SIZE) {
    const data = batches.slice(i, i + PAGE_SIZE);
    const body = { object: 'list', data, first_id: data[0].id, last_id: data[data.length - 1].id, has_more: i + PAGE_SIZE < batches.length };
    pages.set(i === 0 ? '' : batches[i - 1].id, JSON.stringify(body));
  }
  return {
    listBatches: async ({ after }) => {
      const text = pages.get(after ?? '');
      if (text === undefined) throw new Error(`no page after ${after}`);
      return parseBatchPage(JSON.parse(text))!;
    },
  };
}

/** Loads every page into a fresh store; the time of each page, from Load more to the last row VS Code would ask for. */
async function loadAll(api: BatchesExtensionApi, source: BatchListSource, announced: (TreeNode | undefined)[]): Promise<number[]> {
  api.store.reset(source);
  // Not rendered: the root of an unloaded store would load the first page, outside the timing.
  announced.length = 0;
  const times: number[] = [];
  let rows = 0;
  for (let page = 0; page < PAGES; page++) {
    const started = performance.now();
    await api.store.loadMore();
    rows += await renderAnnounced(api, announced);
    times.push(performance.now() - started);
  }
  if (api.store.batches.length !== PAGES * PAGE_SIZE || api.store.hasMore) throw new Error(`the store loaded ${api.store.batches.length} batches`);
  if (rows < PAGES * PAGE_SIZE) throw new Error(`only ${rows} rows were rendered`);
  let listed = 0;
  for (const group of await api.tree.getChildren()) if (group.type === 'group') listed += (await api.tree.getChildren(group)).length;
  if (listed !== PAGES * PAGE_SIZE) throw new Error(`the tree lists ${listed} batches`);
  return times;
}

/** What the TreeView asks for each announced row (or the root), one refresh each; how many rows it built. */
async function renderAnnounced(api: BatchesExtensionApi, announced: (TreeNode | undefined)[]): Promise<number> {
  const tree = api.tree;
  let rows = 0;
  // Worst case: every group open. A group's rows are batches, which start collapsed and stay so.
  const visitGroup = async (group: TreeNode): Promise<void> => {
    const children = await tree.getChildren(group);
    for (let i = 0; i < children.length; i++) tree.getTreeItem(children[i]);
    rows += children.length;
  };
  for (const element of announced.splice(0)) {
    if (element === undefined) {
      for (const child of await tree.getChildren()) {
        tree.getTreeItem(child);
        rows++;
        if (child.type === 'group') await visitGroup(child);
      }
      continue;
    }
    tree.getTreeItem(element);
    rows++;
    if (element.type === 'group') await visitGroup(element);
  }
  return rows;
}
