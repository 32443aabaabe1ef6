/**
 * City centres of China's larger cities. Platforms send the buyer's address but no coordinates; a
 * city-level position is enough to route an order to the nearest store (stores are cities apart).
 */
const cityCentres: Array<[string, number, number]> = [
  ['北京', 39.9042, 116.4074], ['上海', 31.2304, 121.4737], ['广州', 23.1291, 113.2644], ['深圳', 22.5431, 114.0579],
  ['杭州', 30.2741, 120.1551], ['南京', 32.0603, 118.7969], ['苏州', 31.2989, 120.5853], ['宁波', 29.8683, 121.544],
  ['成都', 30.5728, 104.0668], ['重庆', 29.563, 106.5516], ['武汉', 30.5928, 114.3055], ['西安', 34.3416, 108.9398],
  ['天津', 39.3434, 117.3616], ['长沙', 28.2282, 112.9388], ['郑州', 34.7466, 113.6254], ['青岛', 36.0671, 120.3826],
  ['济南', 36.6512, 117.1201], ['合肥', 31.8206, 117.2272], ['福州', 26.0745, 119.2965], ['厦门', 24.4798, 118.0894],
  ['东莞', 23.0207, 113.7518], ['佛山', 23.0215, 113.1214], ['无锡', 31.4912, 120.3119], ['昆明', 25.0389, 102.7183],
  ['沈阳', 41.8057, 123.4315], ['大连', 38.914, 121.6147], ['哈尔滨', 45.8038, 126.535], ['南昌', 28.682, 115.8579],
  ['南宁', 22.817, 108.3665], ['贵阳', 26.647, 106.6302], ['石家庄', 38.0428, 114.5149], ['太原', 37.8706, 112.5489],
];

/** The centre of the first known city named in the address, or undefined. */
export function approximatePosition(address: string | undefined): { lat: number; lng: number } | undefined {
  if (!address) return undefined;
  const found = cityCentres.find(([city]) => address.includes(city));
  return found ? { lat: found[1], lng: found[2] } : undefined;
}
