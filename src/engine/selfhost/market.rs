//! What GPUs cost in one evaluation ([`Market`]): the VM sizes that carry each GPU and
//! their prices in the region, and the servers each GPU can be bought in on premises with
//! what a month of one costs (`servers.ron` and the `on_prem_*` constants), built once and
//! read by every sizing.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::Site;
use super::owned::{OwnedServer, Terms};
use crate::catalog::{Catalog, Gpu, Vm};

/// One way to buy a GPU: a VM size in the region, or a server model on premises.
#[derive(Debug, Clone)]
pub(super) struct Offer {
    /// VM id, or server id.
    pub(super) id: String,
    /// GPUs a VM or server has.
    pub(super) gpus: u32,
    /// Price per VM-hour, or a server's purchase price.
    pub(super) price: Decimal,
    /// The same as `f64`, for ranking.
    pub(super) price_f64: f64,
    /// Where `id` sorts among the market's offer ids, so ranking compares ids as numbers.
    pub(super) id_order: u32,
    /// What owning the server costs a month (on premises only).
    pub(super) owned: Option<Arc<OwnedServer>>,
}

fn offer(id: String, gpus: u32, price: Decimal) -> Offer {
    let price_f64 = f64::try_from(price).unwrap_or(f64::MAX);
    Offer {
        id,
        gpus,
        price,
        price_f64,
        id_order: 0,
        owned: None,
    }
}

/// What each GPU costs in the evaluation's region and on premises, indexed like
/// `catalog.gpus`; built once per evaluation.
pub struct Market<'a> {
    /// (VM id, GPUs per VM, price per VM-hour) in the region.
    cloud: Vec<Vec<Offer>>,
    /// The priced servers of each GPU.
    on_prem: Vec<Vec<Offer>>,
    /// Foundry managed compute: the VM sizes Azure ML managed online endpoints run, priced
    /// as the same VMs in the region.
    managed: Vec<Vec<Offer>>,
    /// Databricks GPU serving sizes, priced at DBU/h x the region's $/DBU (none where the
    /// catalog has no $/DBU for the region).
    databricks: Vec<Vec<Offer>>,
    /// Servers of each GPU the catalog lists without a price (id, GPUs), to say how to
    /// give one.
    pub(super) unpriced: Vec<Vec<(&'a str, u32)>>,
    /// Whether some option could buy the GPU: a VM in some region or a priced server.
    buyable: Vec<bool>,
    /// The warning that GPUs with no priced server are left out on premises, for a
    /// scenario that allows every GPU (written once, not per model).
    unpriced_note_all: Vec<String>,
}

impl<'a> Market<'a> {
    pub fn new(catalog: &'a Catalog, region: &str) -> Market<'a> {
        let terms = Terms::from_catalog(catalog);
        fn servers_of<'c>(catalog: &'c Catalog, g: &'c Gpu) -> impl Iterator<Item = &'c crate::catalog::Server> {
            catalog.servers.iter().filter(move |s| s.gpu == g.id)
        }
        let mut market = Market {
            cloud: catalog.gpus.iter().map(|g| cloud_offers(catalog, g, region)).collect(),
            managed: catalog
                .gpus
                .iter()
                .map(|g| {
                    catalog
                        .vms
                        .iter()
                        .filter(|v| v.gpu == g.id && v.managed_compute.is_some())
                        .filter_map(|v| v.usd_per_hour.get(region).map(|p| offer(v.id.clone(), v.gpus, *p)))
                        .collect()
                })
                .collect(),
            databricks: catalog
                .gpus
                .iter()
                .map(|g| {
                    let Some(rate) = catalog.databricks_dbu(region) else {
                        return Vec::new();
                    };
                    catalog
                        .databricks_serving()
                        .filter(|d| d.gpu == g.id)
                        .map(|d| offer(d.id.clone(), d.gpus, d.dbu_per_hour * rate.usd_per_dbu))
                        .collect()
                })
                .collect(),
            on_prem: catalog
                .gpus
                .iter()
                .map(|g| {
                    servers_of(catalog, g)
                        .filter_map(|s| {
                            let owned = OwnedServer::new(s, &g.id, terms?)?;
                            let mut o = offer(s.id.clone(), s.gpus, owned.price());
                            o.owned = Some(Arc::new(owned));
                            Some(o)
                        })
                        .collect()
                })
                .collect(),
            unpriced: catalog
                .gpus
                .iter()
                .map(|g| {
                    servers_of(catalog, g)
                        .filter(|s| s.usd.is_none())
                        .map(|s| (s.id.as_str(), s.gpus))
                        .collect()
                })
                .collect(),
            unpriced_note_all: Vec::new(),
            buyable: catalog
                .gpus
                .iter()
                .map(|g| catalog.vms.iter().any(|v| v.gpu == g.id))
                .collect(),
        };
        // A GPU that only an unpriced server offers is not searched at all (its messages
        // come from `unpriced`), which keeps the configuration search to what can be bought.
        for (b, offers) in market.buyable.iter_mut().zip(&market.on_prem) {
            *b |= !offers.is_empty();
        }
        market.unpriced_note_all = market.unpriced_note_for(catalog, |_| true);
        let mut ids: Vec<String> = market
            .cloud
            .iter()
            .chain(&market.on_prem)
            .chain(&market.managed)
            .chain(&market.databricks)
            .flatten()
            .map(|o| o.id.clone())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for o in market
            .cloud
            .iter_mut()
            .chain(&mut market.on_prem)
            .chain(&mut market.managed)
            .chain(&mut market.databricks)
            .flatten()
        {
            o.id_order = ids
                .binary_search(&o.id)
                .map_or(u32::MAX, |i| u32::try_from(i).unwrap_or(u32::MAX));
        }
        market
    }

    /// GPUs the scenario allows that have servers in the catalog but none priced: left out
    /// on premises, said in a warning on each owned option.
    pub(super) fn unpriced_note(&self, catalog: &Catalog, allowed: &[String]) -> Vec<String> {
        if allowed.is_empty() {
            return self.unpriced_note_all.clone();
        }
        self.unpriced_note_for(catalog, |g| allowed.contains(&g.id))
    }

    fn unpriced_note_for(&self, catalog: &Catalog, allowed: impl Fn(&Gpu) -> bool) -> Vec<String> {
        let gpus: Vec<&str> = catalog
            .gpus
            .iter()
            .zip(self.on_prem.iter().zip(&self.unpriced))
            .filter(|(g, (priced, unpriced))| priced.is_empty() && !unpriced.is_empty() && allowed(g))
            .map(|(g, _)| g.id.as_str())
            .collect();
        if gpus.is_empty() {
            return Vec::new();
        }
        vec![format!(
            "not priced on premises, for want of a server price in the catalog: {}; to compare them, {}",
            gpus.join(", "),
            super::HOW_TO_PRICE
        )]
    }

    #[inline]
    pub(super) fn offers(&self, gpu: usize, place: &Site) -> &[Offer] {
        let list = match place {
            Site::Cloud { .. } => self.cloud.get(gpu),
            Site::OnPremises => self.on_prem.get(gpu),
            Site::ManagedCompute { .. } => self.managed.get(gpu),
            Site::Databricks { .. } => self.databricks.get(gpu),
        };
        list.map_or(&[], Vec::as_slice)
    }

    /// Whether any option could buy this GPU: a cloud VM in some region, or a priced server
    /// on premises.
    pub(super) fn buyable(&self, gpu: usize) -> bool {
        self.buyable.get(gpu).copied().unwrap_or(false)
    }
}

/// The VM sizes with a GPU priced in a region: (VM id, GPUs per VM, price per VM-hour).
fn cloud_offers(catalog: &Catalog, gpu: &Gpu, region: &str) -> Vec<Offer> {
    catalog
        .vms
        .iter()
        .filter(|v: &&Vm| v.gpu == gpu.id)
        .filter_map(|v| v.usd_per_hour.get(region).map(|p| offer(v.id.clone(), v.gpus, *p)))
        .collect()
}
