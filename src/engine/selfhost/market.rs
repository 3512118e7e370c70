//! What GPUs cost in one evaluation ([`Market`]): the VM sizes that carry each GPU and
//! their prices in the region, and the rate of an owned GPU-hour on premises (a catalog
//! constant, else the cheapest cloud GPU-hour), built once and read by every sizing.

use rust_decimal::Decimal;

use super::Site;
use crate::catalog::{Catalog, Gpu, Vm};
use crate::engine::demand::dec;
use crate::vocab::Place;

/// Where an owned GPU-hour's price comes from.
pub(super) enum OnPremRate<'a> {
    /// A catalog constant `on_prem_usd_per_gpu_hour.<gpu>`.
    Catalog(Decimal),
    /// The cheapest cloud pay-as-you-go GPU-hour: (rate, VM, region).
    CloudEquivalent(Decimal, &'a Vm, &'a str),
}

impl OnPremRate<'_> {
    fn rate(&self) -> Decimal {
        match self {
            OnPremRate::Catalog(r) | OnPremRate::CloudEquivalent(r, _, _) => *r,
        }
    }

    pub(super) fn note(&self, gpu: &Gpu) -> String {
        match self {
            OnPremRate::Catalog(r) => format!("owned {} at ${r} per GPU-hour (catalog)", gpu.id),
            OnPremRate::CloudEquivalent(r, vm, region) => format!(
                "owned {} priced at the cloud-equivalent ${r} per GPU-hour ({} in {region}); give an amortised rate as constant on_prem_usd_per_gpu_hour.{} to override",
                gpu.id, vm.id, gpu.id
            ),
        }
    }
}

/// Per-GPU-hour price for owned hardware: a catalog constant `on_prem_usd_per_gpu_hour.<gpu>`
/// if present, else the cheapest cloud pay-as-you-go GPU-hour in any region.
fn on_prem_rate<'a>(catalog: &'a Catalog, gpu: &Gpu) -> Option<OnPremRate<'a>> {
    if let Some(v) = catalog
        .constants
        .iter()
        .find(|k| k.id.strip_prefix("on_prem_usd_per_gpu_hour.") == Some(gpu.id.as_str()))
        .and_then(|k| dec(k.value))
    {
        return Some(OnPremRate::Catalog(v));
    }
    catalog
        .vms
        .iter()
        .filter(|v| v.gpu == gpu.id)
        .flat_map(|v| {
            v.usd_per_hour
                .iter()
                .map(move |(r, p)| (*p / Decimal::from(v.gpus), v, r))
        })
        .min_by(|a, b| a.0.cmp(&b.0))
        .map(|(rate, vm, region)| OnPremRate::CloudEquivalent(rate.round_dp(4), vm, region.as_str()))
}

/// One way to buy a GPU: a VM size in the region, or owned GPUs.
#[derive(Debug, Clone)]
pub(super) struct Offer {
    /// VM id, or `on-premises`.
    pub(super) id: String,
    /// GPUs a VM has (8 for owned hardware, which is bought by the GPU).
    pub(super) gpus: u32,
    /// Price per VM-hour, or per owned GPU-hour.
    pub(super) price: Decimal,
    /// The same as `f64`, for ranking.
    pub(super) price_f64: f64,
    /// Where `id` sorts among the market's offer ids, so ranking compares ids as numbers.
    pub(super) id_order: u32,
}

fn offer(id: String, gpus: u32, price: Decimal) -> Offer {
    let price_f64 = f64::try_from(price).unwrap_or(f64::MAX);
    Offer {
        id,
        gpus,
        price,
        price_f64,
        id_order: 0,
    }
}

/// What each GPU costs in the evaluation's region and on premises, indexed like
/// `catalog.gpus`; built once per evaluation.
pub struct Market<'a> {
    /// (VM id, GPUs per VM, price per VM-hour) in the region.
    cloud: Vec<Vec<Offer>>,
    /// Price per owned GPU-hour and where it comes from.
    pub(super) on_prem: Vec<Option<OnPremRate<'a>>>,
    /// The same as a one-entry offer list (or none), so both places hand out slices.
    on_prem_offers: Vec<Vec<Offer>>,
}

impl<'a> Market<'a> {
    pub fn new(catalog: &'a Catalog, region: &str) -> Market<'a> {
        let place = Site::Cloud {
            region: region.to_string(),
        };
        let on_prem: Vec<Option<OnPremRate>> = catalog.gpus.iter().map(|g| on_prem_rate(catalog, g)).collect();
        let mut market = Market {
            cloud: catalog.gpus.iter().map(|g| offers(catalog, g, &place)).collect(),
            on_prem_offers: on_prem
                .iter()
                .map(|r| {
                    r.as_ref()
                        .map(|rate| vec![offer(Place::OnPremises.id().to_string(), 8, rate.rate())])
                        .unwrap_or_default()
                })
                .collect(),
            on_prem,
        };
        let mut ids: Vec<String> = market
            .cloud
            .iter()
            .chain(&market.on_prem_offers)
            .flatten()
            .map(|o| o.id.clone())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for o in market.cloud.iter_mut().chain(&mut market.on_prem_offers).flatten() {
            o.id_order = ids
                .binary_search(&o.id)
                .map_or(u32::MAX, |i| u32::try_from(i).unwrap_or(u32::MAX));
        }
        market
    }

    #[inline]
    pub(super) fn offers(&self, gpu: usize, place: &Site) -> &[Offer] {
        let list = match place {
            Site::Cloud { .. } => self.cloud.get(gpu),
            Site::OnPremises => self.on_prem_offers.get(gpu),
        };
        list.map_or(&[], Vec::as_slice)
    }

    /// Whether any option could buy this GPU (a cloud VM anywhere gives it an owned rate).
    pub(super) fn buyable(&self, gpu: usize) -> bool {
        self.on_prem.get(gpu).is_some_and(Option::is_some)
    }
}

/// What can be bought with a GPU in a place: (VM id, GPUs per VM, price per VM-hour), or
/// for owned hardware one entry priced per GPU-hour.
fn offers(catalog: &Catalog, gpu: &Gpu, place: &Site) -> Vec<Offer> {
    match place {
        Site::Cloud { region } => catalog
            .vms
            .iter()
            .filter(|v: &&Vm| v.gpu == gpu.id)
            .filter_map(|v| v.usd_per_hour.get(region).map(|p| offer(v.id.clone(), v.gpus, *p)))
            .collect(),
        Site::OnPremises => match on_prem_rate(catalog, gpu) {
            Some(r) => vec![offer(Place::OnPremises.id().to_string(), 8, r.rate())],
            None => Vec::new(),
        },
    }
}
